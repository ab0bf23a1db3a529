# Renders every (job dir, context) pair of LIST with the Ruby reference renderer, in one
# process, ROUNDS times, and prints templates/s: the work of a round is the one
# benches/templates.rs counts for bale (read the job from disk, bind properties, compile and
# render every template; contexts parsed from JSON before timing), timed as CPU time of the
# process (user + sys, GC included), without interpreter startup. The renderer has no
# compiled-program cache: every round compiles every template. The first round warms
# Ruby's method caches and is left out; the figure is the fastest of the others (other load
# on a shared machine only adds CPU time; bale's side takes its fastest round too).
#
#   ruby benches/templates/oracle_bench.rb ERB_ORACLE_RB LIST [ROUNDS]
require_relative 'oracle_setup'
oracle, list, rounds = ARGV[0], ARGV[1], (ARGV[2] || '5').to_i
opts = load_oracle(oracle)
pairs = load_pairs(list)
times = []
count = 0
(rounds + 1).times do
  t = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID)
  count = 0
  pairs.each do |dir, ctx|
    r = ErbOracle::JobRenderer.new(dir, ctx, opts)
    files, fails = r.render
    count += files.size + fails.size
  end
  times << Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID) - t
end
best = times[1..].min
puts format('oracle: %d jobs, %d templates per round, %d rounds after one warm-up, 1 thread, CPU time, %s%s',
            pairs.size, count, rounds, RUBY_DESCRIPTION.split(' (').first,
            defined?(RubyVM::YJIT) && RubyVM::YJIT.enabled? ? ' +YJIT' : '')
puts format('oracle: %.1f ms = %.0f templates/s (every template compiled)', best * 1e3, count / best)
