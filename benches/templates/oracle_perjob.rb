# Times each (job dir, context) pair of LIST alone with the Ruby reference renderer, as
# benches/templates.rs times each pair alone with BALE_BENCH_SLOWEST (read the job, bind,
# compile and render every template; CPU time of the process; the fastest of TRIES after one
# warm-up), and prints one line per pair: microseconds and the job directory.
#
#   ruby benches/templates/oracle_perjob.rb ERB_ORACLE_RB LIST [TRIES]
require_relative 'oracle_setup'
oracle, list, tries = ARGV[0], ARGV[1], (ARGV[2] || '5').to_i
opts = load_oracle(oracle)
pairs = load_pairs(list)
pairs.each do |dir, ctx|
  times = (tries + 1).times.map do
    t = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID)
    ErbOracle::JobRenderer.new(dir, ctx, opts).render
    Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID) - t
  end
  puts format('%.0f %s', times[1..].min * 1e6, dir)
end
