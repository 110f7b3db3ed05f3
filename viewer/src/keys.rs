//! Keys: the actions of the viewer, their default keys, the help text, and remapping from a
//! TOML file (`[keys]` table of `action = "key"` or `action = ["key", "key"]`).

use std::collections::HashMap;
use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::error::{Error, Result};

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Leave the viewer.
    Quit,
    /// Show or hide the help overlay.
    Help,
    /// The next screen (tab).
    NextScreen,
    /// The previous screen (tab).
    PrevScreen,
    /// Screen N (the digit keys; 0 is the tenth).
    Screen(u8),
    /// Select the row above.
    Up,
    /// Select the row below.
    Down,
    /// Select a page of rows up.
    PageUp,
    /// Select a page of rows down.
    PageDown,
    /// Pause or resume live mode.
    Pause,
    /// One sample back.
    StepBack,
    /// One sample forward.
    StepForward,
    /// Ten minutes back.
    Back10m,
    /// Ten minutes forward.
    Forward10m,
    /// One hour back.
    Back1h,
    /// One hour forward.
    Forward1h,
    /// Type a time to go to.
    GoTo,
    /// Go to the end (live: now).
    End,
    /// Sort the process table by the next column.
    SortNext,
    /// Reverse the sort.
    SortReverse,
    /// Type a filter (a regex) for the process table.
    Filter,
    /// Show processes as a tree.
    Tree,
    /// Show the selected cgroup's processes.
    DrillDown,
    /// Leave the detail (or the filter) and go back.
    Back,
}

/// (action, config name, default keys, help text), in help order.
pub const ACTIONS: &[(Action, &str, &[&str], &str)] = &[
    (Action::Quit, "quit", &["q", "ctrl-c"], "quit"),
    (Action::Help, "help", &["?", "f1"], "show or hide this help"),
    (Action::NextScreen, "next_screen", &["tab"], "next screen"),
    (
        Action::PrevScreen,
        "prev_screen",
        &["backtab"],
        "previous screen",
    ),
    (Action::Screen(1), "screen_1", &["1"], "overview"),
    (Action::Screen(2), "screen_2", &["2"], "disks"),
    (Action::Screen(3), "screen_3", &["3"], "network"),
    (Action::Screen(4), "screen_4", &["4"], "processes"),
    (Action::Screen(5), "screen_5", &["5"], "cgroups"),
    (Action::Screen(6), "screen_6", &["6"], "interrupts"),
    (Action::Screen(7), "screen_7", &["7"], "sockets, protocols"),
    (Action::Screen(8), "screen_8", &["8"], "filesystems"),
    (Action::Screen(9), "screen_9", &["9"], "power"),
    (
        Action::Screen(10),
        "screen_10",
        &["0"],
        "GPUs (when recorded)",
    ),
    (Action::Up, "up", &["up", "k"], "select the row above"),
    (Action::Down, "down", &["down", "j"], "select the row below"),
    (Action::PageUp, "page_up", &["pageup"], "select a page up"),
    (
        Action::PageDown,
        "page_down",
        &["pagedown"],
        "select a page down",
    ),
    (
        Action::Pause,
        "pause",
        &["space"],
        "pause / resume live mode",
    ),
    (
        Action::StepBack,
        "step_back",
        &["left", "T"],
        "one sample back",
    ),
    (
        Action::StepForward,
        "step_forward",
        &["right", "t"],
        "one sample forward",
    ),
    (Action::Back10m, "back_10m", &["["], "10 minutes back"),
    (
        Action::Forward10m,
        "forward_10m",
        &["]"],
        "10 minutes forward",
    ),
    (Action::Back1h, "back_1h", &["{"], "one hour back"),
    (Action::Forward1h, "forward_1h", &["}"], "one hour forward"),
    (Action::GoTo, "goto", &["g"], "go to a time HH:MM:SS"),
    (Action::End, "end", &["end", "G"], "to the end (live: now)"),
    (
        Action::SortNext,
        "sort_next",
        &["s"],
        "sort by the next column",
    ),
    (
        Action::SortReverse,
        "sort_reverse",
        &["r"],
        "reverse the sort",
    ),
    (Action::Filter, "filter", &["/"], "filter processes (regex)"),
    (Action::Tree, "tree", &["v", "f5"], "processes as a tree"),
    (
        Action::DrillDown,
        "drill_down",
        &["enter"],
        "a cgroup's processes",
    ),
    (Action::Back, "back", &["backspace"], "back (also Esc)"),
];

/// A key as the config file names it: `q`, `ctrl-c`, `left`, `f1`, `space`, `tab`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
}

impl Key {
    /// A key from its name (`q`, `ctrl-c`, `left`, `pagedown`, `f1`, `space`); `None` for a name that is no key.
    pub fn parse(text: &str) -> Option<Key> {
        let (ctrl, name) = match text.strip_prefix("ctrl-").or(text.strip_prefix("C-")) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let code = match name.to_ascii_lowercase().as_str() {
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "enter" => KeyCode::Enter,
            "backspace" => KeyCode::Backspace,
            "esc" => KeyCode::Esc,
            "space" => KeyCode::Char(' '),
            lower if lower.len() > 1 && lower.starts_with('f') => {
                KeyCode::F(lower[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
            }
            _ => {
                let mut chars = name.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(c)
            }
        };
        Some(Key { code, ctrl })
    }

    /// The key a terminal event is.
    pub fn of_event(event: &KeyEvent) -> Key {
        Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        }
    }
}

/// Which action each key does.
#[derive(Clone, Debug)]
pub struct KeyMap {
    map: HashMap<Key, Action>,
    /// For the help and status line: the keys of each action, as written.
    names: HashMap<Action, Vec<String>>,
}

impl Default for KeyMap {
    fn default() -> KeyMap {
        let mut keymap = KeyMap {
            map: HashMap::new(),
            names: HashMap::new(),
        };
        for (action, _, keys, _) in ACTIONS {
            for key in *keys {
                keymap.bind(*action, key);
            }
        }
        keymap
    }
}

impl KeyMap {
    fn bind(&mut self, action: Action, name: &str) {
        if let Some(key) = Key::parse(name) {
            self.map.insert(key, action);
            self.names.entry(action).or_default().push(name.to_string());
        }
    }

    /// The action bound to the key of `event`, if any.
    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        self.map.get(&Key::of_event(event)).copied()
    }

    /// The keys of `action`, as the help shows them (`left/T`).
    pub fn keys_of(&self, action: Action) -> String {
        self.names
            .get(&action)
            .map(|names| names.join("/"))
            .unwrap_or_else(|| "(none)".into())
    }

    /// The first key of `action` (for the status line).
    pub fn first_key(&self, action: Action) -> String {
        self.names
            .get(&action)
            .and_then(|names| names.first().cloned())
            .unwrap_or_else(|| "-".into())
    }

    /// Reads remappings from `path`; a missing file at the default place is no error.
    pub fn load(path: &Path) -> Result<KeyMap> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::KeyMapRead {
            path: path.to_path_buf(),
            source,
        })?;
        KeyMap::parse(&text, &path.display().to_string())
    }

    /// Parses a config text; errors name `origin`, the line and the entry.
    pub fn parse(text: &str, origin: &str) -> Result<KeyMap> {
        let wrong = |line: usize, what: String| Error::KeyMap {
            origin: origin.to_string(),
            line,
            what,
        };
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].lines().count().max(1))
                .unwrap_or(1);
            wrong(line, e.message().to_string())
        })?;
        let mut keymap = KeyMap::default();
        let Some(keys) = table.get("keys") else {
            return Ok(keymap);
        };
        let line_of = |name: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(name))
                .map(|i| i + 1)
                .unwrap_or(1)
        };
        let Some(keys) = keys.as_table() else {
            return Err(wrong(line_of("keys"), "`keys` must be a table".into()));
        };
        for (name, value) in keys {
            let bad = |why: String| wrong(line_of(name), format!("keys.{name}: {why}"));
            let Some((action, ..)) = ACTIONS.iter().find(|(_, n, ..)| n == name) else {
                let known: Vec<&str> = ACTIONS.iter().map(|(_, n, ..)| *n).collect();
                return Err(bad(format!(
                    "unknown action; actions are {}",
                    known.join(", ")
                )));
            };
            let list: Vec<&str> = match value {
                toml::Value::String(s) => vec![s.as_str()],
                toml::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
                _ => return Err(bad("expected a key name or a list of key names".into())),
            };
            if let Some(wrong) = list.iter().find(|k| Key::parse(k).is_none()) {
                return Err(bad(format!(
                    "`{wrong}` is not a key (write e.g. q, ctrl-c, left, pagedown, f1, space)"
                )));
            }
            keymap.map.retain(|_, a| a != action);
            keymap.names.remove(action);
            for key in list {
                keymap.bind(*action, key);
            }
        }
        Ok(keymap)
    }
}

/// `$XDG_CONFIG_HOME/rstat/top.toml` (default `~/.config/rstat/top.toml`).
pub fn default_config_path() -> Option<std::path::PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(std::path::PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")))?;
    Some(base.join("rstat").join("top.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    fn event(code: KeyCode) -> KeyEvent {
        KeyEvent::new_with_kind(code, KeyModifiers::NONE, KeyEventKind::Press)
    }

    #[test]
    fn defaults_and_remap() {
        let keys = KeyMap::default();
        assert_eq!(keys.action(&event(KeyCode::Char('q'))), Some(Action::Quit));
        assert_eq!(keys.action(&event(KeyCode::Left)), Some(Action::StepBack));
        let keys = KeyMap::parse("[keys]\nquit = \"x\"\nstep_back = [\"h\", \"left\"]\n", "t")
            .expect("valid");
        assert_eq!(keys.action(&event(KeyCode::Char('x'))), Some(Action::Quit));
        assert_eq!(keys.action(&event(KeyCode::Char('q'))), None);
        assert_eq!(
            keys.action(&event(KeyCode::Char('h'))),
            Some(Action::StepBack)
        );
        assert_eq!(keys.keys_of(Action::StepBack), "h/left");
    }

    #[test]
    fn bad_entries_name_file_line_and_key() {
        let err = KeyMap::parse("[keys]\nquit = \"x\"\nfly = \"y\"\n", "top.toml").unwrap_err();
        assert!(matches!(err, Error::KeyMap { line: 3, .. }), "{err:?}");
        let err = err.to_string();
        assert!(
            err.starts_with("top.toml:3: keys.fly: unknown action"),
            "{err}"
        );
        let err = KeyMap::parse("[keys]\nquit = \"xyz\"\n", "top.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("top.toml:2: keys.quit: `xyz` is not a key"),
            "{err}"
        );
        let err = KeyMap::parse("[keys\n", "top.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("top.toml:1:"), "{err}");
    }
}
