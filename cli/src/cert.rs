//! `l610 cert load` and `l610 cert status`.

use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use l610::{FileCounts, FileType, Modem};
use serde::Serialize;

use crate::args::CertLoadArgs;
use crate::exit::{Failure, Outcome};
use crate::files::{read_all, HostFile};
use crate::open::Session;
use crate::output::Out;

/// `+GTSSLFILE?` counts, for JSON.
#[derive(Debug, Serialize)]
pub struct Counts {
    /// CERTFILEs (0 or 1).
    pub cert: u32,
    /// KEYFILEs (0 or 1).
    pub key: u32,
    /// TRUSTFILEs (0..=40).
    pub trust: u32,
}

impl From<FileCounts> for Counts {
    fn from(c: FileCounts) -> Self {
        Counts {
            cert: c.cert,
            key: c.key,
            trust: c.trust,
        }
    }
}

/// Check the files against what the module can still take, before the first upload.
pub fn check_limits(modem: &Modem, files: &[HostFile]) -> Outcome<FileCounts> {
    let counts = modem
        .ssl_file_counts()
        .map_err(|e| Failure::driver("reading the file counts (AT+GTSSLFILE?)", e))?;
    for t in [FileType::TrustFile, FileType::CertFile, FileType::KeyFile] {
        let adding = files.iter().filter(|f| f.file_type == t).count() as u32;
        let held = counts.get(t);
        if adding > 0 && held + adding > t.limit() {
            return Err(Failure::module(format!(
                "the module holds {held} {t} and takes at most {}: {adding} more do not fit; files \
                 cannot be deleted, only lost by a power cycle (nothing was uploaded)",
                t.limit()
            )));
        }
    }
    Ok(counts)
}

/// Upload `files` in order, a progress bar each when a person is watching.
pub fn upload(modem: &Modem, files: &[HostFile], out: &Out) -> Outcome<FileCounts> {
    let multi = MultiProgress::with_draw_target(if out.interactive() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    let style = ProgressStyle::with_template(
        "{prefix:>10} {wide_msg} [{bar:24}] {bytes}/{total_bytes} {elapsed}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bars: Vec<ProgressBar> = files
        .iter()
        .map(|f| {
            let bar = multi.add(ProgressBar::new(f.pem.len() as u64));
            bar.set_style(style.clone());
            bar.set_prefix(f.file_type.as_at());
            bar.set_message(f.path.display().to_string());
            bar
        })
        .collect();
    let mut counts = None;
    for (f, bar) in files.iter().zip(&bars) {
        // The driver writes the file in one `+GTSSLFILE` command: the bar moves when the module
        // has taken it (OK and the counts read back), and ticks meanwhile.
        bar.enable_steady_tick(Duration::from_millis(100));
        let result = match f.file_type {
            FileType::TrustFile => modem.load_trust_file(&f.bytes),
            FileType::CertFile => modem.load_cert_file(&f.bytes),
            _ => modem.load_key_file(&f.bytes),
        };
        match result {
            Ok(c) => {
                bar.finish();
                counts = Some(c);
            }
            Err(e) => {
                bar.abandon();
                return Err(Failure::driver(
                    &format!("uploading {} as {}", f.path.display(), f.file_type),
                    e,
                ));
            }
        }
    }
    match counts {
        Some(c) => Ok(c),
        None => modem
            .ssl_file_counts()
            .map_err(|e| Failure::driver("reading the file counts", e)),
    }
}

#[derive(Serialize)]
struct Loaded {
    file: String,
    #[serde(rename = "type")]
    file_type: &'static str,
    bytes: usize,
}

#[derive(Serialize)]
struct LoadReport {
    loaded: Vec<Loaded>,
    counts: Counts,
}

/// `l610 cert load`. Files are read and checked before the module is opened.
pub fn load(
    args: &CertLoadArgs,
    open: impl FnOnce() -> Outcome<Session>,
    out: &mut Out,
) -> Outcome {
    if args.trust.is_empty() && args.cert.is_none() {
        return Err(Failure::usage(
            "nothing to load: give --trust CA.pem (and/or --cert CERT.pem --key KEY.pem)",
        ));
    }
    let identity = args.cert.as_deref().zip(args.key.as_deref());
    let files = read_all(&args.trust, identity)?;
    let session = open()?;
    check_limits(&session.modem, &files)?;
    let counts = upload(&session.modem, &files, out)?;
    let report = LoadReport {
        loaded: files
            .iter()
            .map(|f| Loaded {
                file: f.path.display().to_string(),
                file_type: f.file_type.as_at(),
                bytes: f.pem.len(),
            })
            .collect(),
        counts: counts.into(),
    };
    if out.json {
        return out.json(&report);
    }
    for l in &report.loaded {
        out.line(&format!(
            "loaded {:<9} {} ({} bytes)",
            l.file_type, l.file, l.bytes
        ));
    }
    out.line(&format!(
        "module holds {} TRUSTFILE (of 40), {} CERTFILE, {} KEYFILE",
        counts.trust, counts.cert, counts.key
    ));
    Ok(())
}

#[derive(Serialize)]
struct Status {
    counts: Counts,
    limits: Counts,
    /// Accepted encoded lengths, as `AT+GTSSLFILE=?` lists them (min, max).
    lengths: Option<(i64, i64)>,
    verify: bool,
}

/// `l610 cert status`.
pub fn status(session: &Session, out: &mut Out) -> Outcome {
    let m = &session.modem;
    let counts = m
        .ssl_file_counts()
        .map_err(|e| Failure::driver("AT+GTSSLFILE?", e))?;
    let support = m.ssl_file_support().ok();
    let verify = m
        .verify_mode()
        .map_err(|e| Failure::driver("AT+GTSSLMODE?", e))?;
    let status = Status {
        counts: counts.into(),
        limits: Counts {
            cert: FileType::CertFile.limit(),
            key: FileType::KeyFile.limit(),
            trust: FileType::TrustFile.limit(),
        },
        lengths: support.as_ref().and_then(|s| {
            let r = s.length.as_ref()?;
            Some((
                r.ranges.iter().map(|r| r.0).min()?,
                r.ranges.iter().map(|r| r.1).max()?,
            ))
        }),
        verify: verify == l610::VerifyMode::Verify,
    };
    if out.json {
        return out.json(&status);
    }
    let mut t = crate::output::table(&["FILE", "LOADED", "LIMIT"]);
    t.add_row(vec![
        "TRUSTFILE".into(),
        status.counts.trust.to_string(),
        "40".to_string(),
    ]);
    t.add_row(vec![
        "CERTFILE".into(),
        status.counts.cert.to_string(),
        "1".to_string(),
    ]);
    t.add_row(vec![
        "KEYFILE".into(),
        status.counts.key.to_string(),
        "1".to_string(),
    ]);
    out.line(&t.to_string());
    out.line(&format!(
        "verification {}{}",
        if status.verify { "on" } else { "off" },
        if status.verify && status.counts.trust == 0 {
            ": no trust file loaded, so every verified connection fails (l610 cert load --trust CA.pem)"
        } else {
            ""
        }
    ));
    Ok(())
}
