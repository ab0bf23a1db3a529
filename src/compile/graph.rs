//! The packages of a release as a dependency graph: validated (every dependency exists, no
//! cycles), with the director's dependency key and each package's remaining critical path,
//! which the scheduler uses to start the longest chain first.

use std::collections::{BTreeMap, HashMap};

use crate::error::{Error, Result};
use crate::manifest::release_mf::PackageRef;

/// Packages indexed `0..n`, in release.MF order.
#[derive(Debug, Clone)]
pub struct Graph {
    pub packages: Vec<PackageRef>,
    /// Direct dependencies of each package, by index.
    pub deps: Vec<Vec<usize>>,
    /// Packages that depend directly on each package.
    pub dependents: Vec<Vec<usize>>,
    /// Indices in an order where dependencies come first.
    pub topo: Vec<usize>,
}

impl Graph {
    pub fn new(packages: Vec<PackageRef>) -> Result<Graph> {
        let index: HashMap<&str, usize> = packages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), i))
            .collect();
        let mut deps = vec![Vec::new(); packages.len()];
        let mut dependents = vec![Vec::new(); packages.len()];
        let mut missing = Vec::new();
        for (i, p) in packages.iter().enumerate() {
            for d in &p.dependencies {
                match index.get(d.as_str()) {
                    Some(&j) => {
                        deps[i].push(j);
                        dependents[j].push(i);
                    }
                    None => missing.push(format!(
                        "package '{}' depends on '{d}', which the release does not contain",
                        p.name
                    )),
                }
            }
        }
        if !missing.is_empty() {
            return Err(Error::msg(format!(
                "Missing package dependencies:\n  - {}\nAdd the package to the release or remove the dependency from the package spec",
                missing.join("\n  - ")
            )));
        }
        let topo = topo_order(&packages, &deps)?;
        Ok(Graph {
            packages,
            deps,
            dependents,
            topo,
        })
    }

    pub fn len(&self) -> usize {
        self.packages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packages.is_empty()
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.packages.iter().position(|p| p.name == name)
    }

    /// The director's dependency key (`key_generator.rb`): the direct dependencies sorted by
    /// name, each `[name, version]` plus, when it has dependencies, their keys nested the
    /// same way; serialised as compact JSON. A compiled release that carries it round-trips
    /// through upload-release.
    pub fn dependency_key(&self, i: usize) -> String {
        serde_json::Value::Array(self.key_items(i)).to_string()
    }

    fn key_items(&self, i: usize) -> Vec<serde_json::Value> {
        let mut deps = self.deps[i].clone();
        deps.sort_by(|a, b| self.packages[*a].name.cmp(&self.packages[*b].name));
        deps.iter()
            .map(|&d| {
                let p = &self.packages[d];
                let mut v = vec![
                    serde_json::Value::from(p.name.clone()),
                    serde_json::Value::from(p.version.clone()),
                ];
                if !self.deps[d].is_empty() {
                    v.push(serde_json::Value::Array(self.key_items(d)));
                }
                serde_json::Value::Array(v)
            })
            .collect()
    }

    /// For each package, its own cost plus the costliest chain of dependents after it: the
    /// least time left once it starts, however many workers there are.
    pub fn remaining_path(&self, cost: &[f64]) -> Vec<f64> {
        let mut rem = vec![0.0; self.len()];
        for &i in self.topo.iter().rev() {
            let tail = self.dependents[i]
                .iter()
                .map(|&d| rem[d])
                .fold(0.0, f64::max);
            rem[i] = cost[i] + tail;
        }
        rem
    }

    /// Packages reachable from `roots` through dependencies, roots included.
    pub fn closure(&self, roots: &[usize]) -> Vec<bool> {
        let mut keep = vec![false; self.len()];
        let mut stack = roots.to_vec();
        while let Some(i) = stack.pop() {
            if !std::mem::replace(&mut keep[i], true) {
                stack.extend(&self.deps[i]);
            }
        }
        keep
    }
}

/// Depth-first, packages by name, dependencies before dependents; a cycle is an error that
/// names it the way the director does (`a=>b=>a`).
fn topo_order(packages: &[PackageRef], deps: &[Vec<usize>]) -> Result<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let by_name: BTreeMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    let mut mark = vec![Mark::New; packages.len()];
    let mut order = Vec::with_capacity(packages.len());
    let mut path: Vec<usize> = Vec::new();
    fn visit(
        i: usize,
        packages: &[PackageRef],
        deps: &[Vec<usize>],
        mark: &mut [Mark],
        order: &mut Vec<usize>,
        path: &mut Vec<usize>,
    ) -> Result<()> {
        match mark[i] {
            Mark::Done => return Ok(()),
            Mark::Open => {
                let start = path.iter().position(|&p| p == i).unwrap_or(0);
                let mut names: Vec<&str> = path[start..]
                    .iter()
                    .map(|&p| packages[p].name.as_str())
                    .collect();
                names.push(&packages[i].name);
                return Err(Error::msg(format!(
                    "Packages form a dependency cycle: {}. Remove one of these dependencies from its package spec",
                    names.join("=>")
                )));
            }
            Mark::New => {}
        }
        mark[i] = Mark::Open;
        path.push(i);
        let mut ds = deps[i].clone();
        ds.sort_by(|a, b| packages[*a].name.cmp(&packages[*b].name));
        for d in ds {
            visit(d, packages, deps, mark, order, path)?;
        }
        path.pop();
        mark[i] = Mark::Done;
        order.push(i);
        Ok(())
    }
    for &i in by_name.values() {
        visit(i, packages, deps, &mut mark, &mut order, &mut path)?;
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(name: &str, deps: &[&str]) -> PackageRef {
        PackageRef {
            name: name.into(),
            version: format!("v{name}"),
            fingerprint: format!("f{name}"),
            sha1: String::new(),
            stemcell: None,
            dependencies: deps.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn dependency_key_matches_the_directors() {
        // The spec's worked example: a -> [c, b], b -> [c], c -> [].
        let g = Graph::new(vec![pkg("a", &["c", "b"]), pkg("b", &["c"]), pkg("c", &[])]).unwrap();
        assert_eq!(g.dependency_key(2), "[]");
        assert_eq!(g.dependency_key(1), r#"[["c","vc"]]"#);
        assert_eq!(
            g.dependency_key(0),
            r#"[["b","vb",[["c","vc"]]],["c","vc"]]"#
        );
        let sha1 = crate::digest::Digest::of_bytes(
            crate::digest::Algo::Sha1,
            g.dependency_key(0).as_bytes(),
        );
        assert_eq!(sha1.hex(), "9a25b02c8cf640562aebda607bcacddae75febc9");
        assert_eq!(g.topo, [2, 1, 0]);
    }

    #[test]
    fn cycles_and_missing_dependencies_are_named() {
        let e = Graph::new(vec![pkg("a", &["b"]), pkg("b", &["c"]), pkg("c", &["a"])])
            .unwrap_err()
            .to_string();
        assert!(e.contains("a=>b=>c=>a"), "{e}");
        let e = Graph::new(vec![pkg("a", &["zlib"])])
            .unwrap_err()
            .to_string();
        assert!(e.contains("'a' depends on 'zlib'"), "{e}");
    }

    #[test]
    fn remaining_path_follows_the_costliest_chain() {
        let g = Graph::new(vec![
            pkg("base", &[]),
            pkg("mid", &["base"]),
            pkg("top", &["mid"]),
            pkg("side", &["base"]),
        ])
        .unwrap();
        let rem = g.remaining_path(&[1.0, 2.0, 3.0, 10.0]);
        assert_eq!(rem, [11.0, 5.0, 3.0, 10.0]);
        assert_eq!(g.closure(&[2]), [true, true, true, false]);
    }
}
