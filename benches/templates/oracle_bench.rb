# Renders every (job dir, context) pair of LIST with the Ruby reference renderer, in one
# process, ROUNDS times; prints templates/s for the first round and the rounds after.
#
#   ruby benches/templates/oracle_bench.rb ERB_ORACLE_RB LIST [ROUNDS]
require_relative 'oracle_setup'
oracle, list, rounds = ARGV[0], ARGV[1], (ARGV[2] || '5').to_i
opts = load_oracle(oracle)
pairs = File.readlines(list).map(&:chomp).reject(&:empty?).map { |l| d, c = l.split("\t"); [d, JSON.parse(File.read(c))] }
times = []
count = 0
rounds.times do
  t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  count = 0
  pairs.each do |dir, ctx|
    r = ErbOracle::JobRenderer.new(dir, ctx, opts)
    files, fails = r.render
    count += files.size + fails.size
  end
  times << Process.clock_gettime(Process::CLOCK_MONOTONIC) - t
end
rest = times.size > 1 ? times[1..].sum / (times.size - 1) : times[0]
puts format('oracle: %d jobs, %d templates per round, %d rounds', pairs.size, count, rounds)
puts format('oracle: first round %.1f ms = %.0f templates/s', times[0] * 1e3, count / times[0])
puts format('oracle: later rounds %.1f ms = %.0f templates/s', rest * 1e3, count / rest)
