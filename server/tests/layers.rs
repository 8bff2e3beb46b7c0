//! The server's modules import downward only: read from the source, the
//! graph of `crate::` imports between its top-level modules has no cycle;
//! the domain types import nothing of the server; the policy only them; and
//! storage imports no rule (`policy`, `sync`, `auth`) and nothing above it
//! (`api`, `events`, `cli`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The top-level module a source file belongs to (`store/queries.rs` → `store`).
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_owned())
}

/// The code of a file without its unit tests, which may reach anywhere.
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests").map_or(text, |at| &text[..at])
}

/// Every name that follows `crate::`, including each of a `crate::{a, b::c}` group.
fn imported(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The first path segment of each item at the group's own depth.
            let (mut depth, mut item) = (0_usize, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.push(item.trim().split("::").next().unwrap_or("").to_owned());
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            names.push(item.trim().split("::").next().unwrap_or("").to_owned());
        } else {
            names.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    names
}

fn collect(root: &Path, dir: &Path, modules: &BTreeSet<String>, graph: &mut Graph) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, modules, graph)?;
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let Some(module) = path.strip_prefix(root).ok().and_then(module_of) else { continue };
        let text = std::fs::read_to_string(&path)?;
        let edges = graph.entry(module.clone()).or_default();
        for name in imported(without_tests(&text)) {
            if name != module && modules.contains(&name) {
                edges.insert(name);
            }
        }
    }
    Ok(())
}

fn graph() -> std::io::Result<Graph> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&root)? {
        if let Some(module) = module_of(Path::new(&entry?.file_name())) {
            modules.insert(module);
        }
    }
    let mut graph = Graph::new();
    collect(&root, &root, &modules, &mut graph)?;
    Ok(graph)
}

/// A cycle through `from`, if there is one (depth-first search).
fn cycle(graph: &Graph, from: &str, path: &mut Vec<String>) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|m| m == from) {
        return Some(path[at..].iter().cloned().chain([from.to_owned()]).collect());
    }
    path.push(from.to_owned());
    for next in graph.get(from).into_iter().flatten() {
        if let Some(found) = cycle(graph, next, path) {
            return Some(found);
        }
    }
    path.pop();
    None
}

#[test]
fn the_module_graph_has_no_cycle() -> std::io::Result<()> {
    let graph = graph()?;
    assert!(graph.contains_key("store") && graph.contains_key("api"), "the source was read: {graph:?}");
    for module in graph.keys() {
        if let Some(found) = cycle(&graph, module, &mut Vec::new()) {
            panic!("an import cycle: {}\nthe graph: {graph:#?}", found.join(" → "));
        }
    }
    Ok(())
}

#[test]
fn storage_imports_no_rule_and_nothing_above_it() -> std::io::Result<()> {
    let graph = graph()?;
    let store = graph.get("store").cloned().unwrap_or_default();
    for above in ["policy", "sync", "auth", "api", "events", "cli", "error"] {
        assert!(!store.contains(above), "store imports {above}: {store:?}");
    }
    Ok(())
}

#[test]
fn the_domain_imports_nothing_and_the_policy_only_the_domain() -> std::io::Result<()> {
    let graph = graph()?;
    assert_eq!(graph.get("domain").cloned().unwrap_or_default(), BTreeSet::new(), "domain");
    assert_eq!(graph.get("policy").cloned().unwrap_or_default(), BTreeSet::from(["domain".to_owned()]), "policy");
    Ok(())
}

#[test]
fn the_reader_finds_grouped_imports() {
    let text = "use crate::{policy::Actor, store::{Role, queries}};\nuse crate::sync;";
    assert_eq!(imported(text), ["policy", "store", "sync"]);
}
