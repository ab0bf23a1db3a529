#!/usr/bin/env bash
# compare-real.sh BOSH BALE CF_DEPLOYMENT_DIR BOSH_DEPLOYMENT_DIR [OUT]
# Runs the real `bosh` CLI and bale on public deployment repositories and counts the cases
# whose stdout, stderr and exit status are byte-identical. Nothing here is committed output:
# the repositories are public content that bale's tests must not carry. Cases:
#   cf-deployment.yml alone, with --var-errs, and with each operations/**/*.yml file
#   (plus --path /instance_groups/name=api for each); bosh-deployment's usual combinations.
set -u
bosh=$1 bale=$2 cf=$3 bd=$4 out=${5:-$(mktemp -d)}
mkdir -p "$out"
total=0 same=0 succeeded=0
run() {  # name, then args
  local name=$1; shift
  total=$((total + 1))
  (cd "$cf" && "$bosh" "$@" >"$out/r.out" 2>"$out/r.err"; echo $? >"$out/r.rc")
  (cd "$cf" && "$bale" "$@" >"$out/l.out" 2>"$out/l.err"; echo $? >"$out/l.rc")
  [ "$(cat "$out/r.rc")" = 0 ] && succeeded=$((succeeded + 1))
  if cmp -s "$out/r.out" "$out/l.out" && cmp -s "$out/r.err" "$out/l.err" && cmp -s "$out/r.rc" "$out/l.rc"; then
    same=$((same + 1))
  else
    echo "DIFF $name: $*"
    { echo "== $name: $*"; diff "$out/r.out" "$out/l.out" | head -20; diff "$out/r.err" "$out/l.err" | head -10; } >>"$out/diffs.txt"
  fi
}
run cf-base int cf-deployment.yml
run cf-var-errs int cf-deployment.yml --var-errs
run cf-path int cf-deployment.yml --path /instance_groups/name=api/jobs/name=cloud_controller_ng/properties/cc
while IFS= read -r ops; do
  run "cf-ops $ops" int cf-deployment.yml -o "$ops"
  run "cf-ops-path $ops" int cf-deployment.yml -o "$ops" --path /instance_groups/name=api
done < <(cd "$cf" && find operations -name '*.yml' | LC_ALL=C sort)
cf_total=$total cf_same=$same
echo "cf-deployment: $cf_same of $cf_total cases identical"
# bosh-deployment: the usual director combinations
cf=$bd
bd_cases=(
  "bosh.yml"
  "bosh.yml -o virtualbox/cpi.yml -o virtualbox/outbound-network.yml -o bosh-lite.yml -o bosh-lite-runc.yml -o jumpbox-user.yml -o uaa.yml -o credhub.yml -v director_name=bosh-lite -v internal_ip=192.168.56.6 -v internal_gw=192.168.56.1 -v internal_cidr=192.168.56.0/24 -v outbound_network_name=NatNetwork"
  "bosh.yml -o aws/cpi.yml -o uaa.yml -o credhub.yml -o jumpbox-user.yml -v director_name=d -v internal_cidr=10.0.0.0/24 -v internal_gw=10.0.0.1 -v internal_ip=10.0.0.6 -v region=us-east-1 -v az=us-east-1a -v default_key_name=k -v default_security_groups=[g] -v subnet_id=s -v access_key_id=a -v secret_access_key=b --var-errs"
  "bosh.yml -o gcp/cpi.yml -o uaa.yml -o credhub.yml -o jumpbox-user.yml"
  "bosh.yml -o vsphere/cpi.yml -o uaa.yml -o credhub.yml -o misc/dns.yml"
  "bosh.yml -o openstack/cpi.yml -o uaa.yml -o credhub.yml -o external-ip-not-recommended.yml"
  "bosh.yml -o azure/cpi.yml -o uaa.yml -o credhub.yml -o bbr.yml"
  "bosh.yml -o docker/cpi.yml -o docker/localhost.yml -o jumpbox-user.yml -o uaa.yml -o credhub.yml"
  "bosh.yml -o warden/cpi.yml -o bosh-lite.yml -o uaa.yml --path /instance_groups/name=bosh/jobs"
  "jumpbox.yml"
  "bosh.yml --var-errs"
  "bosh.yml -o uaa.yml -o credhub.yml --path /variables"
)
for c in "${bd_cases[@]}"; do
  # shellcheck disable=SC2086
  run "bosh-deployment" int $c
done
for f in $(cd "$bd" && find . -name '*.yml' -path './*/*' | grep -v '/tests/' | LC_ALL=C sort); do
  run "bosh-deployment-ops" int bosh.yml -o "$f"
done
echo "bosh-deployment: $((same - cf_same)) of $((total - cf_total)) cases identical"
echo "total: $same of $total identical; the CLI succeeded on $succeeded of them (diffs in $out/diffs.txt)"
