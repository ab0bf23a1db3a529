# Renders every (job dir, context) pair of LIST with the Ruby reference renderer in one process
# and prints one JSON object per line: {"job": DIR, "code": 0|1|2, "files": {DEST: TEXT},
# "errors": ["PATH:LINE: message", ...]} -- what `erb-oracle.rb --error-format line` would write
# and print for that job, without starting Ruby once per job.
#
#   ruby benches/templates/oracle_batch.rb ERB_ORACLE_RB LIST
require 'timeout'
require_relative 'oracle_setup'
oracle, list = ARGV[0], ARGV[1]
opts = load_oracle(oracle)
$stdout.sync = true

# Text for the JSON line: a binary string (bytes a template packed) read as UTF-8, invalid
# bytes replaced, as bale's side reads it.
def utf8(s)
  s.dup.force_encoding(Encoding::UTF_8).scrub
end
File.readlines(list).map(&:chomp).reject(&:empty?).each do |line|
  dir, ctx_path = line.split("\t")
  rec = { 'job' => dir, 'code' => 0, 'files' => {}, 'errors' => [] }
  begin
    ctx = JSON.parse(File.read(ctx_path))
    render = -> { ErbOracle::JobRenderer.new(dir, ctx, opts).render }
    # Ruby under WASI (ruby34/ruby.mjs) has no threads for Timeout to stop a template with
    files, failures = RUBY_PLATFORM.include?('wasm') ? render.call : Timeout.timeout(20) { render.call }
    if failures.empty?
      # classes a template defines are named inside the director's context class; an
      # object's address in `inspect` differs from run to run, and bale prints it zeroed
      files.each do |k, v|
        rec['files'][k] = utf8(v.to_s).gsub('ErbOracle::Template::', 'Bosh::Common::Template::')
                           .gsub(/(#<[A-Z][\w:]*:0x)\h{8,16}/) { "#{$1}0000000000000000" }
      end
    else
      rec['code'] = 1
      rec['errors'] = failures.map { |f| utf8("#{f.path}:#{f.line}: #{f.message.gsub("\n", '\\n')}") }
    end
  rescue Timeout::Error
    rec['code'] = 3
    rec['errors'] = ['timeout']
  rescue ErbOracle::ContextError, JSON::ParserError, Errno::ENOENT, Psych::Exception => e
    rec['code'] = 2
    rec['errors'] = ["context error: #{e.message}"]
  end
  puts JSON.generate(rec)
end
