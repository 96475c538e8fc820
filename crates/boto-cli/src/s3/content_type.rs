//! `Content-Type` for uploads without `--content-type`: guessed from the file name's extension,
//! as aws-cli does with Python's `mimetypes` (the common part of its table).

/// The type for `name`'s extension, if it is a known one.
pub fn guess(name: &str) -> Option<&'static str> {
    let (stem, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    // A compression suffix is an encoding, not a type: `x.tar.gz` is a tar file (mimetypes).
    if matches!(ext.as_str(), "gz" | "bz2" | "xz" | "br" | "z") {
        return guess(stem);
    }
    Some(match ext.as_str() {
        "txt" | "text" | "bat" | "c" | "h" | "pl" => "text/plain",
        "htm" | "html" => "text/html",
        "css" => "text/css",
        "csv" => "text/csv",
        "md" | "markdown" => "text/markdown",
        "xml" => "application/xml",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "tar" | "tgz" => "application/x-tar",
        "wasm" => "application/wasm",
        "bin" | "exe" | "so" | "dll" => "application/octet-stream",
        "sh" => "text/x-sh",
        "png" => "image/png",
        "jpg" | "jpeg" | "jpe" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "ico" => "image/vnd.microsoft.icon",
        "bmp" => "image/bmp",
        "tif" | "tiff" => "image/tiff",
        "mp3" => "audio/mpeg",
        "wav" => "audio/x-wav",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "mpeg" | "mpg" => "video/mpeg",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "avi" => "video/x-msvideo",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_extensions_get_their_type() {
        assert_eq!(super::guess("a/b.TXT"), Some("text/plain"));
        assert_eq!(super::guess("x.json"), Some("application/json"));
        assert_eq!(super::guess("x.tar.gz"), Some("application/x-tar"));
        assert_eq!(super::guess("x.gz"), None);
        assert_eq!(super::guess("README"), None);
        assert_eq!(super::guess("x.unknownext"), None);
    }
}
