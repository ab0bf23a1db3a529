# Loads the Ruby reference renderer in this process with the options its command line uses by
# default (the current director's behaviour); returns the renderer options for JobRenderer.
# Also reads a bench list (load_pairs) for the scripts that time the renderer.
require 'json'
require_relative 'ruby34_compat'

def load_oracle(path)
  require File.expand_path(path)
  ErbOracle::BlankExt.install
  ErbOracle::DirectorExt.install
  ErbOracle::HashInspect.install(:ruby34)
  ErbOracle::JsonCompat.install
  { erb: 'own', hash_inspect: 'ruby34', error_format: 'line', json: 'modern' }
end

# The (job dir, parsed context) pairs of a bench list: one JOB_DIR<TAB>CONTEXT_JSON per line,
# as bench.sh writes it.
def load_pairs(list)
  File.readlines(list).map(&:chomp).reject(&:empty?).map { |l| d, c = l.split("\t"); [d, JSON.parse(File.read(c))] }
end
