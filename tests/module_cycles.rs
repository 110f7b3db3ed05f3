//! No import cycles between the modules of any crate of the workspace. A module depends on
//! another when its file names it by path (`use crate::a::b`, `use super::{x, y}`,
//! `crate::a::f()` in code); the modules that contain it (its ancestors) are its home, not
//! a dependency, so `use super::Item` from a child and `pub use child::Item` in a parent do
//! not count. A cycle (a -> b -> a, as report/select.rs and report/system.rs were) fails the
//! test, which prints it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules of one crate: path (`["report", "select"]`) -> the module paths its file names.
type Graph = BTreeMap<Vec<String>, BTreeSet<Vec<String>>>;

#[test]
fn no_module_depends_on_itself_through_others() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (krate, entries) in [
        ("rstat", vec!["src/lib.rs", "src/main.rs"]),
        ("data-format", vec!["data-format/src/lib.rs"]),
        ("collector", vec!["collector/src/lib.rs"]),
        ("viewer", vec!["viewer/src/lib.rs"]),
    ] {
        for entry in entries {
            let files = module_files(&root.join(entry));
            assert!(files.len() > 3, "{krate} {entry}: {files:?}");
            let graph = graph(&files);
            if let Some(cycle) = find_cycle(&graph) {
                let names: Vec<String> = cycle.iter().map(|m| display(m)).collect();
                panic!("{krate} ({entry}): import cycle {}", names.join(" -> "));
            }
        }
    }
}

/// Every module file reachable from `entry` through `mod x;` lines, by module path.
fn module_files(entry: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut files = BTreeMap::new();
    let mut todo = vec![(Vec::new(), entry.to_path_buf())];
    while let Some((module, file)) = todo.pop() {
        let text = std::fs::read_to_string(&file).unwrap();
        // Children of `a.rs` live in `a/`, of `mod.rs`, `lib.rs` and `main.rs` beside it.
        let stem = file.file_stem().unwrap().to_str().unwrap();
        let dir = match stem {
            "mod" | "lib" | "main" => file.parent().unwrap().to_path_buf(),
            _ => file.with_extension(""),
        };
        let mut path_attr: Option<String> = None;
        for line in text.lines().map(str::trim) {
            if let Some(p) = line.strip_prefix("#[path = \"") {
                path_attr = p.strip_suffix("\"]").map(str::to_string);
                continue;
            }
            let declaration = ["pub mod ", "pub(crate) mod ", "pub(super) mod ", "mod "]
                .iter()
                .find_map(|p| line.strip_prefix(p))
                .and_then(|rest| rest.strip_suffix(';'));
            if let Some(name) = declaration {
                let child = match path_attr.take() {
                    Some(p) => file.parent().unwrap().join(p),
                    None if dir.join(format!("{name}.rs")).exists() => {
                        dir.join(format!("{name}.rs"))
                    }
                    None => dir.join(name).join("mod.rs"),
                };
                let mut path = module.clone();
                path.push(name.to_string());
                todo.push((path, child));
            } else if !line.starts_with("#[") {
                path_attr = None;
            }
        }
        files.insert(module, file);
    }
    files
}

/// Which modules each module's file names.
fn graph(files: &BTreeMap<Vec<String>, PathBuf>) -> Graph {
    let modules: BTreeSet<&Vec<String>> = files.keys().collect();
    let mut graph = Graph::new();
    for (module, file) in files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut deps = BTreeSet::new();
        for path in named_paths(&text) {
            let mut segments = path.iter();
            let mut at: Vec<String> = match segments.next().map(String::as_str) {
                Some("crate") => Vec::new(),
                Some("super") => module[..module.len().saturating_sub(1)].to_vec(),
                _ => continue,
            };
            for segment in segments {
                if segment == "super" {
                    at.pop();
                    continue;
                }
                let mut next = at.clone();
                next.push(segment.clone());
                if !modules.contains(&next) {
                    break;
                }
                at = next;
            }
            let ancestor = module.starts_with(&at);
            if !ancestor {
                deps.insert(at);
            }
        }
        graph.insert(module.clone(), deps);
    }
    graph
}

/// The paths starting with `crate::` or `super::` in code (comments left out), with
/// `use a::{b, c::d}` expanded to `a::b`, `a::c::d`.
fn named_paths(text: &str) -> Vec<Vec<String>> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut paths = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
        let boundary = i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_');
        if boundary && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let end = tree_end(&bytes, i);
            let tree: String = bytes[i..end].iter().collect();
            expand(
                &tree.replace(char::is_whitespace, ""),
                &mut Vec::new(),
                &mut paths,
            );
            i = end;
        } else {
            i += 1;
        }
    }
    paths
}

/// Where a path (with any `{...}` groups) that starts at `start` ends.
fn tree_end(chars: &[char], start: usize) -> usize {
    let mut depth = 0;
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') => break,
            _ => {}
        }
        i += 1;
    }
    i
}

/// `a::{b, c::{d, e}}` -> `a::b`, `a::c::d`, `a::c::e` (appended to `paths`).
fn expand(tree: &str, prefix: &mut Vec<String>, paths: &mut Vec<Vec<String>>) {
    match tree.find('{') {
        None => {
            let mut path = prefix.clone();
            path.extend(
                tree.split("::")
                    .filter(|s| !s.is_empty() && *s != "self" && *s != "*")
                    .map(str::to_string),
            );
            paths.push(path);
        }
        Some(open) => {
            let head: Vec<String> = tree[..open]
                .split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let before = prefix.len();
            prefix.extend(head);
            let mut depth = 0;
            let mut part = String::new();
            for c in inner.chars().chain(std::iter::once(',')) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !part.is_empty() {
                            expand(&part, prefix, paths);
                        }
                        part.clear();
                        continue;
                    }
                    _ => {}
                }
                part.push(c);
            }
            prefix.truncate(before);
        }
    }
}

/// A cycle of the graph, if there is one (depth-first search with colours).
fn find_cycle(graph: &Graph) -> Option<Vec<Vec<String>>> {
    fn visit(
        node: &Vec<String>,
        graph: &Graph,
        done: &mut BTreeSet<Vec<String>>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.clone());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

fn display(module: &[String]) -> String {
    if module.is_empty() {
        "crate".to_string()
    } else {
        module.join("::")
    }
}

#[test]
fn the_checker_sees_a_cycle() {
    let files = |names: &[&str]| -> Vec<Vec<String>> {
        names.iter().map(|n| vec![n.to_string()]).collect()
    };
    let mut graph = Graph::new();
    let [a, b, c] = <[Vec<String>; 3]>::try_from(files(&["a", "b", "c"])).unwrap();
    graph.insert(a.clone(), BTreeSet::from([b.clone()]));
    graph.insert(b.clone(), BTreeSet::from([c.clone()]));
    graph.insert(c.clone(), BTreeSet::new());
    assert_eq!(find_cycle(&graph), None);
    graph.get_mut(&c).unwrap().insert(a.clone());
    assert_eq!(find_cycle(&graph), Some(vec![a.clone(), b, c, a]));
    let mut paths = Vec::new();
    expand("super::{x,y::{Z,w},self}", &mut Vec::new(), &mut paths);
    assert_eq!(
        paths,
        [
            vec!["super", "x"],
            vec!["super", "y", "Z"],
            vec!["super", "y", "w"],
            vec!["super"]
        ]
    );
}
