//! Instances as the director would create them for a new deployment, without a director:
//! `instances: N` gives indexes `0..N`, index 0 the bootstrap instance, and AZs assigned
//! as the director's placement `Balancer` assigns them to new instances: each to an AZ with
//! the fewest instances so far, ties going to the smallest AZ name (`TieStrategy::MinWins`),
//! which is round-robin over the AZ names sorted. What a director keeps in its database is
//! made deterministic here:
//!
//! - **instance ids** are UUID v5 (SHA-1, RFC 4122) in the URL namespace of the name
//!   `bale:render-deployment/<deployment>/<instance group>/<index>`, so re-rendering the same
//!   manifest gives the same ids (and files that embed them do not change);
//! - **BOSH DNS numbers** (AZ ids, network ids, group ids, instance numbers behind short DNS
//!   names and `link.address(azs: …)`) count from 1 in manifest order: AZs and networks by
//!   first appearance, instance groups then link groups, instances by group and index.
//!
//! Without a cloud config there are no subnets to allocate IPs from: a network that lists
//! `static_ips` gives the instance its IP; a network without one is rendered as the
//! director renders a dynamic network before the agent reports an IP (`127.0.0.1` for IP,
//! netmask and gateway, addresses as BOSH DNS names).

use indexmap::IndexMap;
use serde_json::{json, Map, Value};
use sha1::Digest as _;

use super::manifest::{Group, Manifest};

pub const ROOT_DOMAIN: &str = "bosh";

#[derive(Debug, Clone)]
pub struct Instance {
    pub group: usize,
    pub index: usize,
    pub id: String,
    pub az: Option<String>,
    pub bootstrap: bool,
    /// Per network of the group, in order: the static IP, or `None` (dynamic).
    pub ips: Vec<Option<String>>,
}

/// The director's DNS encoder tables, numbered deterministically.
#[derive(Debug, Clone, Default)]
pub struct DnsIds {
    pub az_ids: IndexMap<String, u64>,
    pub network_ids: IndexMap<String, u64>,
    /// `instance-group/<name>/<deployment>` and `link/<name>-<type>/<deployment>`.
    pub group_ids: IndexMap<String, u64>,
    pub instance_nums: IndexMap<String, u64>,
}

impl DnsIds {
    pub fn group_id(&mut self, key: String) -> u64 {
        let next = self.group_ids.len() as u64 + 1;
        *self.group_ids.entry(key).or_insert(next)
    }

    /// The tables as `link.address` reads them (the reference renderer's `dns` context).
    pub fn to_json(&self) -> Value {
        let t = |m: &IndexMap<String, u64>| {
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.to_string())))
                    .collect(),
            )
        };
        json!({
            "az_ids": t(&self.az_ids),
            "network_ids": t(&self.network_ids),
            "group_ids": t(&self.group_ids),
            "instance_ids": t(&self.instance_nums),
        })
    }
}

pub struct Plan {
    pub manifest: Manifest,
    pub instances: Vec<Instance>,
    pub dns: DnsIds,
}

/// The deterministic instance id (see the module documentation).
pub fn instance_id(deployment: &str, group: &str, index: usize) -> String {
    // RFC 4122 namespace for URLs
    const NAMESPACE_URL: [u8; 16] = [
        0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ];
    let mut h = sha1::Sha1::new();
    h.update(NAMESPACE_URL);
    h.update(format!("bale:render-deployment/{deployment}/{group}/{index}").as_bytes());
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_sha1_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// The director's DNS canonical form: lowercase, `_` to `-`, other characters dropped.
pub fn canonical(s: &str) -> String {
    s.to_lowercase()
        .replace('_', "-")
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .collect()
}

impl Plan {
    pub fn new(manifest: Manifest) -> Plan {
        let mut dns = DnsIds::default();
        let mut instances = Vec::new();
        for g in &manifest.groups {
            for az in &g.azs {
                let n = dns.az_ids.len() as u64 + 1;
                dns.az_ids.entry(az.clone()).or_insert(n);
            }
            for net in &g.networks {
                let n = dns.network_ids.len() as u64 + 1;
                dns.network_ids.entry(net.name.clone()).or_insert(n);
            }
        }
        for (gi, g) in manifest.groups.iter().enumerate() {
            dns.group_id(format!("instance-group/{}/{}", g.name, manifest.name));
            let mut azs = g.azs.clone();
            azs.sort();
            azs.dedup();
            for index in 0..g.instances {
                let id = instance_id(&manifest.name, &g.name, index);
                let n = dns.instance_nums.len() as u64 + 1;
                dns.instance_nums.insert(id.clone(), n);
                instances.push(Instance {
                    group: gi,
                    index,
                    id,
                    az: (!azs.is_empty()).then(|| azs[index % azs.len()].clone()),
                    bootstrap: index == 0,
                    ips: g
                        .networks
                        .iter()
                        .map(|n| n.static_ips.get(index).cloned())
                        .collect(),
                });
            }
        }
        Plan {
            manifest,
            instances,
            dns,
        }
    }

    pub fn group(&self, inst: &Instance) -> &Group {
        &self.manifest.groups[inst.group]
    }

    pub fn instances_of(&self, group: usize) -> impl Iterator<Item = &Instance> + '_ {
        self.instances.iter().filter(move |i| i.group == group)
    }

    /// The IP of an instance on a network, `None` when the network is dynamic for it.
    pub fn ip_on<'a>(&self, inst: &'a Instance, network: &str) -> Option<Option<&'a str>> {
        let g = self.group(inst);
        let k = g.networks.iter().position(|n| n.name == network)?;
        Some(inst.ips[k].as_deref())
    }

    /// `DnsEncoder#encode_query` with an instance's uuid: the long name
    /// `<uuid>.<group>.<network>.<deployment>.bosh`, or with short DNS
    /// `q-m<num>n<network>s0.q-g<group>.bosh`.
    pub fn encode_instance(
        &self,
        inst: &Instance,
        group_key: (&str, &str),
        network: &str,
        short: bool,
    ) -> String {
        let (group_type, group_name) = group_key;
        if short {
            let mut q = [
                format!(
                    "m{}",
                    self.dns.instance_nums.get(&inst.id).copied().unwrap_or(0)
                ),
                format!(
                    "n{}",
                    self.dns.network_ids.get(network).copied().unwrap_or(0)
                ),
                "s0".to_string(),
            ];
            q.sort();
            let gid = self
                .dns
                .group_ids
                .get(&format!("{group_type}/{group_name}/{}", self.manifest.name))
                .map(|g| g.to_string())
                .unwrap_or_default();
            format!("q-{}.q-g{gid}.{ROOT_DOMAIN}", q.concat())
        } else {
            format!(
                "{}.{}.{}.{}.{ROOT_DOMAIN}",
                inst.id,
                canonical(group_name),
                canonical(network),
                canonical(&self.manifest.name)
            )
        }
    }

    /// `NetworkSettings#network_address`: the instance's address on its default network.
    pub fn instance_address(&self, inst: &Instance) -> Option<String> {
        let g = self.group(inst);
        let net = g
            .default_network("addressable")
            .or_else(|| g.default_network("gateway"))?;
        let ip = self.ip_on(inst, &net.name).flatten();
        let f = &self.manifest.features;
        match ip {
            Some(ip) if !f.use_dns_addresses => Some(ip.to_string()),
            _ => Some(self.encode_instance(
                inst,
                ("instance-group", &g.name),
                &net.name,
                f.use_short_dns_addresses,
            )),
        }
    }

    /// The `networks` hash of the instance's template spec (with `dns_record_name`) and
    /// its `ip` (the addressable network's, else the first gateway network's).
    pub fn networks(&self, inst: &Instance) -> (Value, Value) {
        let g = self.group(inst);
        let mut nets = Map::new();
        let mut ip = Value::Null;
        for (k, n) in g.networks.iter().enumerate() {
            let defaults = g.defaults_of(&n.name);
            let mut s = Map::new();
            match &inst.ips[k] {
                Some(addr) => {
                    s.insert("type".into(), json!("manual"));
                    s.insert("ip".into(), json!(addr));
                }
                None => {
                    s.insert("type".into(), json!("dynamic"));
                    s.insert("ip".into(), json!("127.0.0.1"));
                    s.insert("netmask".into(), json!("127.0.0.1"));
                    s.insert("gateway".into(), json!("127.0.0.1"));
                }
            }
            s.insert("cloud_properties".into(), json!({}));
            if !defaults.is_empty() {
                s.insert("default".into(), json!(defaults));
            }
            s.insert(
                "dns_record_name".into(),
                json!(format!(
                    "{}.{}.{}.{}.{ROOT_DOMAIN}",
                    inst.index,
                    canonical(&g.name),
                    canonical(&n.name),
                    canonical(&self.manifest.name)
                )),
            );
            if defaults.iter().any(|d| d == "addressable")
                || (ip.is_null() && defaults.iter().any(|d| d == "gateway"))
            {
                ip = s.get("ip").cloned().unwrap_or(Value::Null);
            }
            nets.insert(n.name.clone(), Value::Object(s));
        }
        (Value::Object(nets), ip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_uuid_v5() {
        let a = instance_id("shop", "web", 0);
        assert_eq!(a, instance_id("shop", "web", 0));
        assert_ne!(a, instance_id("shop", "web", 1));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5");
    }

    #[test]
    fn azs_round_robin_and_bootstrap_is_index_zero() {
        let m = Manifest::from_value(&json!({
            "name": "shop",
            "instance_groups": [{"name": "web", "instances": 3, "azs": ["z2", "z1"],
              "networks": [{"name": "default", "static_ips": ["10.0.0.5 - 10.0.0.7"]}],
              "jobs": [{"name": "j", "release": "r"}]}]
        }))
        .unwrap();
        let p = Plan::new(m);
        let azs: Vec<_> = p.instances.iter().map(|i| i.az.clone().unwrap()).collect();
        assert_eq!(azs, ["z1", "z2", "z1"]);
        assert!(p.instances[0].bootstrap && !p.instances[1].bootstrap);
        assert_eq!(p.instance_address(&p.instances[2]).unwrap(), "10.0.0.7");
        assert_eq!(canonical("My_Net.x"), "my-netx");
    }
}
