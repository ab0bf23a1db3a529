# Pins the clock of the Ruby reference renderer, so that templates calling `Time.now` render
# the same bytes as `bale render --now` with the same time (crosscheck.py loads it with
# `ruby -r` and sets FIXED_NOW_EPOCH). Local time is UTC, the zone of the director's VMs.
#
#   FIXED_NOW_EPOCH=1767225600 ruby -r ./benches/templates/fixed_now.rb erb-oracle.rb ...
ENV['TZ'] = 'UTC'
FIXED_NOW_EPOCH = Integer(ENV.fetch('FIXED_NOW_EPOCH'))

class << Time
  def now
    at(FIXED_NOW_EPOCH)
  end
end
