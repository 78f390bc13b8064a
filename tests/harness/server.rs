//! A small static file server over a built site, on 127.0.0.1 and an ephemeral port: the browser
//! will not run wasm from `file://`. GET and HEAD only; `.wasm` is served as `application/wasm`
//! (streaming compilation requires it) and `.json` / `.geojson` as JSON.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use anyhow::{Context, Result, bail};

pub struct StaticServer {
    root: PathBuf,
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` until the server is dropped.
    pub fn start(root: &Path) -> Result<StaticServer> {
        if !root.join("index.html").is_file() {
            bail!("{} has no index.html: not a built site", root.display());
        }
        let listener = TcpListener::bind("127.0.0.1:0").context("binding 127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let (dir, flag) = (root.to_path_buf(), stop.clone());
        let thread = std::thread::Builder::new()
            .name(format!("static-server-{port}"))
            .spawn(move || {
                for conn in listener.incoming() {
                    if flag.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let dir = dir.clone();
                    // One thread per connection: the browser opens several at once.
                    let _ = std::thread::Builder::new()
                        .name("static-server-conn".into())
                        .spawn(move || handle(conn, &dir));
                }
            })
            .context("starting the server thread")?;
        Ok(StaticServer {
            root: root.to_path_buf(),
            port,
            stop,
            thread: Some(thread),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The absolute URL of `path` (which starts with `/`, may carry a query or a fragment).
    pub fn url(&self, path: &str) -> String {
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The content type a static server must send for a file name.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("geojson") => "application/geo+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") | Some("md") => "text/plain; charset=utf-8",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Maps a request target to a file under `root`, refusing anything that would leave it.
pub fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let mut out = root.to_path_buf();
    for comp in Path::new(decoded.trim_start_matches('/')).components() {
        match comp {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn handle(mut conn: TcpStream, root: &Path) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Drain the headers; nothing in them changes the answer.
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let head = method == "HEAD";
    let response = if method != "GET" && !head {
        reply(
            405,
            "Method Not Allowed",
            "text/plain",
            b"only GET and HEAD\n".to_vec(),
        )
    } else {
        match resolve(root, target).map(|p| (std::fs::read(&p), p)) {
            Some((Ok(body), path)) => reply(200, "OK", content_type(&path), body),
            Some((Err(_), _)) => reply(404, "Not Found", "text/plain", b"not found\n".to_vec()),
            None => reply(400, "Bad Request", "text/plain", b"bad path\n".to_vec()),
        }
    };
    let (header, body) = response;
    let _ = conn.write_all(header.as_bytes());
    if !head {
        let _ = conn.write_all(&body);
    }
    let _ = conn.flush();
    let _ = conn.shutdown(Shutdown::Write);
    // Let the client read everything before the socket closes.
    let _ = reader.read(&mut [0u8; 64]);
}

fn reply(code: u16, reason: &str, ctype: &str, body: Vec<u8>) -> (String, Vec<u8>) {
    let header = format!(
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    (header, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(server: &StaticServer, target: &str) -> (String, Vec<u8>) {
        let mut conn = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
        write!(conn, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        conn.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        (
            String::from_utf8_lossy(&raw[..split]).into_owned(),
            raw[split + 4..].to_vec(),
        )
    }

    fn site(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("lilong-server-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html><h1>x</h1>").unwrap();
        std::fs::write(dir.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.join("data/areas.geojson"), "{}").unwrap();
        std::fs::write(dir.join("data/名字.json"), "[]").unwrap();
        dir
    }

    #[test]
    fn serves_files_with_the_types_a_browser_needs() {
        let dir = site("types");
        let server = StaticServer::start(&dir).unwrap();
        let (head, body) = get(&server, "/app_bg.wasm");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("Content-Type: application/wasm"), "{head}");
        assert_eq!(body, b"\0asm\x01\0\0\0");
        let (head, _) = get(&server, "/data/areas.geojson?v=2");
        assert!(
            head.contains("Content-Type: application/geo+json"),
            "{head}"
        );
        let (head, body) = get(&server, "/data/%E5%90%8D%E5%AD%97.json");
        assert!(head.contains("Content-Type: application/json"), "{head}");
        assert_eq!(body, b"[]");
        let (head, body) = get(&server, "/");
        assert!(head.contains("text/html"), "{head}");
        assert!(String::from_utf8_lossy(&body).contains("<h1>x</h1>"));
        drop(server);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn missing_files_are_404_and_the_root_cannot_be_left() {
        let dir = site("escape");
        let server = StaticServer::start(&dir).unwrap();
        assert!(
            get(&server, "/data/nope.json")
                .0
                .starts_with("HTTP/1.1 404")
        );
        assert!(
            get(&server, "/../../etc/passwd")
                .0
                .starts_with("HTTP/1.1 400")
        );
        assert!(
            get(&server, "/data/%2e%2e/%2e%2e/etc/passwd")
                .0
                .starts_with("HTTP/1.1 400")
        );
        assert_eq!(resolve(&dir, "/a/./b"), Some(dir.join("a/b")));
        drop(server);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_folder_without_index_html_is_refused() {
        let dir = std::env::temp_dir().join(format!("lilong-server-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = StaticServer::start(&dir).err().unwrap().to_string();
        assert!(err.contains("no index.html"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
