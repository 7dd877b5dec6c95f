//! `kindred import participants FILE.csv [--dry-run]`: the same import as
//! `POST /api/v1/admin/imports`, run in this process with a progress bar
//! (or plain progress lines when stderr is not a terminal).

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;
use kindred_config::Settings;
use kindred_service::imports::{self, ImportView};

/// How the command ended: every row imported, or some rows reported.
pub enum Finished {
    AllRows,
    SomeRowsFailed,
}

/// Reads, checks and imports `file`. A file that cannot be imported at all
/// is an error (nothing is stored); failed rows are printed.
pub fn participants(settings: &Settings, file: &Path, dry_run: bool) -> anyhow::Result<Finished> {
    let body = std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    let limit = settings.imports.max_bytes;
    if body.len() > limit.as_usize() {
        anyhow::bail!("the file was rejected: it is larger than imports.max_bytes ({limit})");
    }
    let (pool, _) = kindred_service::runtime::open_database(settings)?;
    let id = {
        let mut conn = pool.get().context("database connection")?;
        imports::create(&mut conn, settings, None, &body, dry_run, false).map_err(rejected)?
    };
    let view = with_progress(|progress| {
        imports::run(&pool, settings, &id, progress).map_err(crate::cli_error)
    })?;
    print_summary(&view);
    Ok(if view.failed.is_empty() {
        Finished::AllRows
    } else {
        Finished::SomeRowsFailed
    })
}

/// Why the file was refused, one `where: message` per line.
fn rejected(e: kindred_service::ServiceError) -> anyhow::Error {
    match e {
        kindred_service::ServiceError::Invalid(errors) => {
            let lines: Vec<String> = errors
                .into_map()
                .into_iter()
                .flat_map(|(at, msgs)| msgs.into_iter().map(move |m| format!("{at}: {m}")))
                .collect();
            anyhow::anyhow!("the file was rejected:\n{}", lines.join("\n"))
        }
        other => anyhow::anyhow!(other.to_string()),
    }
}

fn with_progress(
    run: impl FnOnce(&mut dyn FnMut(&ImportView)) -> anyhow::Result<ImportView>,
) -> anyhow::Result<ImportView> {
    if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} rows ({per_sec}, {eta} left) {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let out = run(&mut |v: &ImportView| {
            bar.set_length(u64::from(v.rows));
            bar.set_position(u64::from(v.processed));
            bar.set_message(format!("{} failed", v.failed.len()));
        });
        bar.finish_and_clear();
        out
    } else {
        run(&mut |v: &ImportView| {
            eprintln!(
                "progress: {}/{} rows, {} created, {} updated, {} failed",
                v.processed,
                v.rows,
                v.created,
                v.updated,
                v.failed.len()
            );
        })
    }
}

fn print_summary(v: &ImportView) {
    println!(
        "Import {}{}: {} rows, {} created, {} updated, {} unchanged, {} failed",
        v.id,
        if v.dry_run {
            " (dry run: nothing written, no email sent)"
        } else {
            ""
        },
        v.rows,
        v.created,
        v.updated,
        v.processed
            .saturating_sub(v.created + v.updated)
            .saturating_sub(u32::try_from(v.failed.len()).unwrap_or(u32::MAX)),
        v.failed.len()
    );
    for f in &v.failed {
        for (column, messages) in &f.errors {
            for m in messages {
                println!("row {}: {column}: {m}", f.row);
            }
        }
    }
    if let Some(error) = &v.error {
        println!("The import stopped: {error}");
    }
    if !v.dry_run && v.created > 0 {
        println!(
            "Invitation emails are queued in the outbox; a running `kindred serve` or `kindred worker` delivers them."
        );
    }
}
