# Loads the Ruby reference renderer in this process with the options its command line uses by
# default (the current director's behaviour); returns the renderer options for JobRenderer.
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
