//! `link.address(...)`: the BOSH DNS query name for a link's instances (long form, short
//! form with numeric ids, link-name groups), or a manual link's own address.

use rubyerb::{format, Interp, Value, R};

use super::api::hget;
use super::shared::Dns;

pub(super) fn canonical(it: &Interp, s: &str) -> R<String> {
    let c: String = s
        .to_lowercase()
        .replace('_', "-")
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .collect();
    if c.starts_with('-') {
        return it.err(
            "RuntimeError",
            format!("Invalid DNS canonical name '{c}', cannot start with a hyphen"),
        );
    }
    if c.ends_with('-') {
        return it.err(
            "RuntimeError",
            format!("Invalid DNS canonical name '{c}', cannot end with a hyphen"),
        );
    }
    Ok(c)
}

/// `link.address(criteria)`: the manual address, or a BOSH DNS query name.
pub(super) fn link_address(it: &mut Interp, dns: &Dns, spec: &Value, criteria: &Value) -> R<Value> {
    if let Value::Hash(h) = spec {
        if let Some(a) = h.borrow().get_str("address") {
            return Ok(a.clone());
        }
    }
    let crit = |k: &str| match criteria {
        Value::Hash(h) => h
            .borrow()
            .get(&Value::sym(k))
            .cloned()
            .unwrap_or(Value::Nil),
        _ => Value::Nil,
    };
    let use_link_dns = hget(spec, "use_link_dns_names").truthy();
    let (group_name, group_type) = if use_link_dns {
        (hget(spec, "group_name"), "link")
    } else {
        (hget(spec, "instance_group"), "instance-group")
    };
    let network = hget(spec, "default_network");
    let deployment = hget(spec, "deployment_name");
    let root = hget(spec, "domain");
    let short = hget(spec, "use_short_dns_addresses").truthy();
    let uuid = crit("uuid");
    let mut q: Vec<String> = Vec::new();
    if let Value::Array(azs) = crit("azs") {
        for az in azs.borrow().iter() {
            if az.is_nil() {
                q.push("a".into());
                continue;
            }
            let name = format::to_s(az);
            match dns.az_ids.get(&name) {
                Some(id) => q.push(format!("a{id}")),
                None => return it.err("RuntimeError", format!("Unknown AZ: '{name}'")),
            }
        }
    }
    if short {
        if !uuid.is_nil() {
            let u = format::to_s(&uuid);
            match dns.instance_ids.get(&u) {
                Some(n) => q.push(format!("m{n}")),
                None => return it.err("RuntimeError", format!("Unknown instance UUID: '{u}'")),
            }
        }
        if !network.is_nil() {
            let n = format::to_s(&network);
            match dns.network_ids.get(&n) {
                Some(id) => q.push(format!("n{id}")),
                None => return it.err("RuntimeError", format!("Unknown Network: '{n}'")),
            }
        }
    }
    match format::to_s(&crit("initial_health_check")).as_str() {
        "synchronous" => q.push("y1".into()),
        "asynchronous" => q.push("y0".into()),
        _ => {}
    }
    let status = match format::to_s(&crit("status")).as_str() {
        "healthy" => 3,
        "unhealthy" => 1,
        "all" => 4,
        _ => 0,
    };
    q.push(format!("s{status}"));
    q.sort();
    let slug = q.concat();
    let mut parts = vec![if uuid.is_nil() || short {
        format!("q-{slug}")
    } else {
        format::to_s(&uuid)
    }];
    if short {
        let key = format!(
            "{group_type}/{}/{}",
            format::to_s(&group_name),
            format::to_s(&deployment)
        );
        parts.push(format!(
            "q-g{}",
            dns.group_ids.get(&key).cloned().unwrap_or_default()
        ));
    } else {
        if group_name.is_nil() || network.is_nil() || deployment.is_nil() {
            return it.err("KeyError", "key not found: :group_name");
        }
        parts.push(canonical(it, &format::to_s(&group_name))?);
        parts.push(canonical(it, &format::to_s(&network))?);
        parts.push(canonical(it, &format::to_s(&deployment))?);
    }
    parts.push(format::to_s(&root));
    Ok(Value::str(parts.join(".")))
}
