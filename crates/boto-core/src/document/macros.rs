//! The `doc!` macro: JSON-like literals for [`Document`](super::Document).

/// Builds a [`Document`](crate::document::Document) from JSON-like syntax.
///
/// Keys are string literals or parenthesised expressions; values are `null`, nested `{..}` / `[..]`,
/// or any expression convertible with `Document::from` (strings, numbers, bools, `Vec`s, `Bytes`,
/// `Timestamp`s, other documents).
///
/// ```
/// use boto_core::doc;
/// let name = "videobucket";
/// let d = doc! {"Bucket": name, "Delete": {"Objects": [{"Key": "a"}, {"Key": "b"}], "Quiet": true}};
/// assert_eq!(d["Delete"]["Objects"][1]["Key"].as_str(), Some("b"));
/// assert_eq!(doc!([1, 2.5, "x", null]).as_list().map(|l| l.len()), Some(4));
/// ```
#[macro_export]
macro_rules! doc {
    () => { $crate::document::Document::map() };
    (null) => { $crate::document::Document::Null };
    ([ $($tt:tt)* ]) => {{
        // Built by pushes so each element can be any expression; `collect` keeps clippy's
        // init-then-push lint quiet in callers' crates.
        #[allow(unused_mut)]
        let mut list: ::std::vec::Vec<$crate::document::Document> = ::std::iter::empty().collect();
        $crate::__doc_list!(list; $($tt)*);
        $crate::document::Document::List(list)
    }};
    ({ $($tt:tt)* }) => {{
        #[allow(unused_mut)]
        let mut map = $crate::document::Map::default();
        $crate::__doc_map!(map; $($tt)*);
        $crate::document::Document::Map(map)
    }};
    ($key:tt : $($rest:tt)*) => { $crate::doc!({ $key : $($rest)* }) };
    ($value:expr) => { $crate::document::Document::from($value) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __doc_map {
    ($m:ident;) => {};
    ($m:ident; $key:tt : null $(, $($rest:tt)*)?) => {
        $m.insert($crate::document::Name::from($key), $crate::document::Document::Null);
        $( $crate::__doc_map!($m; $($rest)*); )?
    };
    ($m:ident; $key:tt : { $($v:tt)* } $(, $($rest:tt)*)?) => {
        $m.insert($crate::document::Name::from($key), $crate::doc!({ $($v)* }));
        $( $crate::__doc_map!($m; $($rest)*); )?
    };
    ($m:ident; $key:tt : [ $($v:tt)* ] $(, $($rest:tt)*)?) => {
        $m.insert($crate::document::Name::from($key), $crate::doc!([ $($v)* ]));
        $( $crate::__doc_map!($m; $($rest)*); )?
    };
    ($m:ident; $key:tt : $v:expr $(, $($rest:tt)*)?) => {
        $m.insert($crate::document::Name::from($key), $crate::document::Document::from($v));
        $( $crate::__doc_map!($m; $($rest)*); )?
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __doc_list {
    ($l:ident;) => {};
    ($l:ident; null $(, $($rest:tt)*)?) => {
        $l.push($crate::document::Document::Null);
        $( $crate::__doc_list!($l; $($rest)*); )?
    };
    ($l:ident; { $($v:tt)* } $(, $($rest:tt)*)?) => {
        $l.push($crate::doc!({ $($v)* }));
        $( $crate::__doc_list!($l; $($rest)*); )?
    };
    ($l:ident; [ $($v:tt)* ] $(, $($rest:tt)*)?) => {
        $l.push($crate::doc!([ $($v)* ]));
        $( $crate::__doc_list!($l; $($rest)*); )?
    };
    ($l:ident; $v:expr $(, $($rest:tt)*)?) => {
        $l.push($crate::document::Document::from($v));
        $( $crate::__doc_list!($l; $($rest)*); )?
    };
}
