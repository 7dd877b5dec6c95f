//! axe-core in the page under test: injected through WebDriver "execute script" (never a
//! `<script>` tag, which the app's Content-Security-Policy forbids), then `axe.run` with the
//! WCAG 2.2 AA rule set.

use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::{json, Value};

/// The axe-core tags run: WCAG 2.0, 2.1 and 2.2, levels A and AA.
pub const WCAG_22_AA_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// One failed axe rule, with every element that fails it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Violation {
    /// The rule id, e.g. `color-contrast`, `label`, `image-alt`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: Option<String>,
    /// What the rule wants, in one line.
    pub help: String,
    #[serde(rename = "helpUrl")]
    pub help_url: String,
    pub nodes: Vec<ViolationNode>,
}

/// One element that fails a rule.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct ViolationNode {
    /// CSS selector(s) of the element.
    pub target: Vec<Value>,
    /// The element's opening HTML.
    pub html: String,
    /// What to fix on this element, as axe words it.
    #[serde(rename = "failureSummary", default)]
    pub failure_summary: Option<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "- {} ({}): {} [{}]",
            self.id,
            self.impact.as_deref().unwrap_or("no impact given"),
            self.help,
            self.help_url
        )?;
        for node in &self.nodes {
            let target: Vec<String> = node
                .target
                .iter()
                .map(|t| t.as_str().map_or_else(|| t.to_string(), str::to_string))
                .collect();
            writeln!(f, "    at {}: {}", target.join(" "), node.html)?;
            if let Some(summary) = &node.failure_summary {
                for line in summary.lines() {
                    writeln!(f, "      {line}")?;
                }
            }
        }
        Ok(())
    }
}

/// All violations as one readable block (for assertion messages).
pub fn report(violations: &[Violation]) -> String {
    violations.iter().map(ToString::to_string).collect()
}

/// The source of axe.min.js, read once per test process.
pub(crate) fn source(path: &std::path::Path) -> Result<&'static str, String> {
    static SOURCE: OnceLock<Result<String, String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        })
        .as_deref()
        .map_err(Clone::clone)
}

/// The axe-core version `tests/browser/package-lock.json` pins (`None` if it cannot be read).
pub(crate) fn locked_version() -> Option<String> {
    let lock = super::driver::workspace_root().join("tests/browser/package-lock.json");
    let lock: Value = serde_json::from_str(&std::fs::read_to_string(lock).ok()?).ok()?;
    lock["packages"]["node_modules/axe-core"]["version"]
        .as_str()
        .map(str::to_string)
}

/// Evaluates axe.min.js in the page (WebDriver wraps it in a function; axe then sets
/// `window.axe`) and reports whether `axe.run` exists afterwards.
pub(crate) fn inject_script(axe_source: &str) -> String {
    format!(
        "if (typeof window.axe === 'undefined' || typeof window.axe.run !== 'function') {{\n{axe_source}\n}}\n\
         return typeof window.axe === 'object' && typeof window.axe.run === 'function' ? window.axe.version : null;"
    )
}

/// Runs axe on the whole document and calls back with the violations (or an error).
pub(crate) const RUN_SCRIPT: &str = r#"
const [tags, done] = arguments;
window.axe
  .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
  .then(results => done({
    violations: results.violations.map(v => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
    })),
  }))
  .catch(e => done({ error: String(e && e.stack || e) }));
"#;

pub(crate) fn run_args() -> Vec<Value> {
    vec![json!(WCAG_22_AA_TAGS)]
}

/// The callback value of [`RUN_SCRIPT`] as violations.
pub(crate) fn parse(result: Value) -> Result<Vec<Violation>, String> {
    if let Some(error) = result.get("error") {
        return Err(format!("axe.run failed: {error}"));
    }
    let violations = result
        .get("violations")
        .cloned()
        .ok_or_else(|| format!("axe.run returned no violations list: {result}"))?;
    serde_json::from_value(violations).map_err(|e| format!("unexpected axe result ({e}): {result}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_violation_prints_rule_impact_help_and_each_element() {
        let v = parse(json!({"violations": [{
            "id": "label", "impact": "critical", "help": "Form elements must have labels",
            "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/label",
            "nodes": [{"target": ["#q"], "html": "<input id=\"q\">",
                       "failureSummary": "Fix any of the following:\n  no label"}]
        }]}))
        .unwrap();
        let text = report(&v);
        assert!(
            text.contains("- label (critical): Form elements must have labels"),
            "{text}"
        );
        assert!(text.contains("at #q: <input id=\"q\">"), "{text}");
        assert!(text.contains("      no label"), "{text}");
    }

    #[test]
    fn an_axe_error_is_an_error() {
        assert!(parse(json!({"error": "boom"}))
            .unwrap_err()
            .contains("boom"));
    }
}
