//! README examples cannot drift from what the program prints: every code
//! block in README.md preceded by a `<!-- checked: … -->` line is run here.
//! In such a block a line `$ portfolio-desk ARGS…` is a command (arguments
//! split on spaces), and the lines after it, up to the next `$` line or the
//! end of the block, are exactly what it prints (stdout, then stderr).
//!
//! Each block runs in a fresh directory holding `school.db`, a 靜心 school
//! made with `init`, with the fixed clock of the other tests; the default
//! database and the data directory point into that directory too.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_portfolio-desk");
const MARK: &str = "<!-- checked:";

struct Example {
    /// README line of the command, for messages.
    line: usize,
    args: Vec<String>,
    expected: Vec<String>,
}

/// The checked blocks, each a list of commands with their output.
fn checked_blocks(readme: &str) -> Vec<Vec<Example>> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].trim_start().starts_with(MARK) {
            i += 1;
            continue;
        }
        assert!(
            lines.get(i + 1).is_some_and(|l| l.starts_with("```")),
            "README line {}: a checked mark must stand right above a code block",
            i + 1
        );
        let mut block: Vec<Example> = Vec::new();
        i += 2;
        while i < lines.len() && !lines[i].starts_with("```") {
            if let Some(cmd) = lines[i].strip_prefix("$ portfolio-desk") {
                block.push(Example {
                    line: i + 1,
                    args: cmd.split_whitespace().map(str::to_string).collect(),
                    expected: Vec::new(),
                });
            } else {
                let ex = block
                    .last_mut()
                    .unwrap_or_else(|| panic!("README line {}: output before any command", i + 1));
                ex.expected.push(lines[i].to_string());
            }
            i += 1;
        }
        assert!(
            !block.is_empty(),
            "README line {i}: a checked block with no command"
        );
        blocks.push(block);
    }
    blocks
}

fn run(dir: &Path, args: &[String]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("PORTFOLIO_DESK_TODAY", "2026-11-25")
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("PORTFOLIO_DESK_LANG")
        .env_remove("NO_COLOR")
        .output()
        .expect("run portfolio-desk");
    let mut text = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    text.push_str(&String::from_utf8(out.stderr).expect("stderr is UTF-8"));
    text
}

#[test]
fn the_readmes_checked_examples_print_what_it_shows() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let blocks = checked_blocks(&readme);
    assert!(
        blocks.len() >= 2,
        "only {} checked blocks found: the test is not looking",
        blocks.len()
    );
    for block in blocks {
        let dir = tempfile::TempDir::new().unwrap();
        let init: Vec<String> = ["init", "--preset", "jingxin", "--db", "school.db"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        run(dir.path(), &init);
        for ex in block {
            let got = run(dir.path(), &ex.args);
            let got: Vec<&str> = got.trim_end().lines().map(str::trim_end).collect();
            let want: Vec<&str> = ex.expected.iter().map(|l| l.trim_end()).collect();
            assert_eq!(
                got,
                want,
                "README line {}: `portfolio-desk {}` prints something else",
                ex.line,
                ex.args.join(" ")
            );
        }
    }
}

#[test]
fn a_block_is_read_as_commands_and_their_output() {
    let text =
        "x\n<!-- checked: yes -->\n```\n$ portfolio-desk a b\none\ntwo\n$ portfolio-desk c\n```\n";
    let blocks = checked_blocks(text);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0][0].args, ["a", "b"]);
    assert_eq!(blocks[0][0].expected, ["one", "two"]);
    assert_eq!(blocks[0][1].args, ["c"]);
    assert!(blocks[0][1].expected.is_empty());
    assert!(checked_blocks("```\n$ portfolio-desk a\n```\n").is_empty());
}
