use super::{parser, search, search_ref, Error, MAX_DEPTH};
use crate::doc;
use crate::document::{Document, Timestamp};

#[test]
fn paths() {
    let d =
        doc! {"Contents": [{"Key": "a"}, {"Key": "b"}], "NextMarker": null, "Owner": {"ID": "x"}};
    assert_eq!(search("Contents[].Key", &d), doc!(["a", "b"]));
    assert_eq!(search("Contents[-1].Key", &d), doc!("b"));
    assert_eq!(search("NextMarker || Contents[-1].Key", &d), doc!("b"));
    assert_eq!(search("Owner.ID", &d), doc!("x"));
    assert_eq!(search_ref("Contents[-1].Key", &d), Some(&doc!("b")));
    assert_eq!(search_ref("Owner.ID", &d), Some(&doc!("x")));
    assert_eq!(search_ref("@", &d), Some(&d));
    assert_eq!(
        search_ref("Contents[].Key", &d),
        None,
        "a projection is built"
    );
    assert_eq!(search_ref("NextMarker || Owner", &d), None);
    assert_eq!(search_ref("Owner.Name", &d), None);
    assert_eq!(search("@", &d), d, "@ is the whole document");
    assert_eq!(search("length(Contents[]) > `1`", &d), doc!(true));
    assert_eq!(search("Contents[?Key == 'b'].Key", &d), doc!(["b"]));
    // Multi-select lists and slices are not plain paths.
    assert_eq!(search("Contents[].[Key]", &d), doc!([["a"], ["b"]]));
    assert_eq!(search("Contents[1:].Key", &d), doc!(["b"]));
    for odd in ["a[0]]", "]", "[", "a[", "a]b[0]", "length(", "Contents[?"] {
        let _ = search(odd, &d); // never panics
    }
    assert!(search("Nope[0].X", &d).is_null());
    assert_eq!(search("Contents[]", &d).as_list().map(|l| l.len()), Some(2));
}

#[test]
fn boto3s_dollar_is_the_whole_document() {
    let d = doc! {"a": 1};
    assert_eq!(search("$", &d), d);
    assert_eq!(search_ref(" $ ", &d), Some(&d));
    assert!(search("$.a", &d).is_null(), "`$` is no JMESPath token");
}

#[test]
fn search_ref_borrows_chains_only() {
    let d = doc! {"a": {"b": [10, 20, {"c": null}]}};
    assert_eq!(search_ref("a.b[1]", &d), Some(&doc!(20)));
    assert_eq!(
        search_ref("a.b[-1].c", &d),
        Some(&Document::Null),
        "present, null"
    );
    assert_eq!(search_ref("(a.b)[0]", &d), Some(&doc!(10)));
    assert_eq!(search_ref("a.\"b\"[0]", &d), Some(&doc!(10)));
    for other in [
        "a.b[0:1]", "a.b[*]", "a | b", "`1`", "a.b[5]", "a.b[-4]", "", "a[",
    ] {
        assert_eq!(search_ref(other, &d), None, "{other}");
    }
}

#[test]
fn what_python_jmespath_gives() {
    let d = doc! {
        "a": [{"b": 1, "c": "x"}, {"b": 3, "c": "y"}, {"b": 2}],
        "n": [1, 2.5, -3], "s": ["b", "a", "c"], "e": [], "m": {"k": "v", "l": 2}
    };
    let cases: &[(&str, Document)] = &[
        ("max_by(a, &b).c", doc!("y")),
        ("min_by(a, &b).c", doc!("x")),
        ("sort_by(a, &b)[].b", doc!([1, 2, 3])),
        ("sum(n)", doc!(0.5)),
        ("sum(`[1, 2]`)", doc!(3)),
        ("avg(`[1, 2]`)", doc!(1.5)),
        ("abs(`-3`)", doc!(3)),
        ("ceil(`1.5`)", doc!(2)),
        ("floor(`-1.5`)", doc!(-2)),
        ("length('héllo')", doc!(5)),
        ("to_number('1.5')", doc!(1.5)),
        ("to_number(' 12 ')", doc!(12)),
        ("to_number('1_000')", doc!(1000)),
        ("to_number('x')", Document::Null),
        ("to_string(m)", doc!(r#"{"k":"v","l":2}"#)),
        ("to_string(`1e16`)", doc!("1e+16")),
        ("to_string('é')", doc!("é")),
        ("to_string(`[\"é\"]`)", doc!(r#"["\u00e9"]"#)),
        ("type(m)", doc!("object")),
        ("keys(m)", doc!(["k", "l"])),
        ("values(m)", doc!(["v", 2])),
        ("sort(s)", doc!(["a", "b", "c"])),
        ("reverse('abc')", doc!("cba")),
        ("join(', ', s)", doc!("b, a, c")),
        ("contains(s, 'a')", doc!(true)),
        ("contains(`[1]`, `true`)", doc!(true)),
        ("`1` == `true`", doc!(false)),
        ("`[1]` == `[true]`", doc!(true)),
        ("`1` == `1.0`", doc!(true)),
        ("!`0`", doc!(false)),
        ("!e", doc!(true)),
        ("e || 'x'", doc!("x")),
        ("e && 'x'", doc!([])),
        ("`1` < `2`", doc!(true)),
        ("'a' < 'b'", doc!(true)),
        ("`true` < `false`", Document::Null),
        ("{a: a[0].b, b: nope}", doc!({"a": 1, "b": null})),
        ("nope.{a: a}", Document::Null),
        ("map(&b, a)", doc!([1, 3, 2])),
        ("map(&c, a)", doc!(["x", "y", null])),
        ("a[?b > `1`].b", doc!([3, 2])),
        ("a[?c].c", doc!(["x", "y"])),
        ("n[::-1]", doc!([-3, 2.5, 1])),
        ("n[::2]", doc!([1, -3])),
        ("n[-2:]", doc!([2.5, -3])),
        ("merge(m, `{\"k\": 1}`)", doc!({"k": 1, "l": 2})),
        ("not_null(nope, e, `1`)", doc!([])),
        ("to_array(`1`)", doc!([1])),
        ("m.*", doc!(["v", 2])),
        ("[[`1`, `2`], `3`][]", doc!([1, 2, 3])),
        ("`\"a\"` | [@, @]", doc!(["a", "a"])),
        ("`foo`", doc!("foo")),
        ("``", doc!("")),
        ("'it\\'s'", doc!("it's")),
        ("\"a\\u0062\"", Document::Null),
        // An index chain swallows a later slice instead of projecting over it (Python's parser).
        ("`[[{\"b\": 1}]]`[0][0:1].b", Document::Null),
        ("`[[{\"b\": 1}]]`[0:1][0].b", doc!([1])),
        // A missing comma between arguments or pairs is tolerated, as in Python.
        ("not_null(nope `2`)", doc!(2)),
        ("{x: `1` y: `2`}", doc!({"x": 1, "y": 2})),
    ];
    for (expr, want) in cases {
        let got = search(expr, &d);
        assert_eq!(&got, want, "{expr}");
        assert_eq!(got.kind(), want.kind(), "{expr}: int vs float");
    }
}

#[test]
fn errors_are_null() {
    let d = doc! {"a": [1, 2], "s": "x"};
    for bad in [
        "a[::0]",
        "abs('x')",
        "length(`1`)",
        "nope(a)",
        "sum(a, a)",
        "merge()",
        "`1` < 'x'",
        "sort(`[1, \"a\"]`)",
        "max_by(`[{\"k\": 1}, {\"k\": \"a\"}]`, &k)",
        "sort_by(`[{\"k\": 1}, {\"k\": null}]`, &k)",
        "contains('abc', `1`)",
        "ceil(`1e400`)",
        "to_string(&a)",
        "&a",
        "[&a]",
        "a.\"b\"(1)",
        "foo[bar > baz]",
        "a.",
        "=",
        "-",
        "a[1 2]",
    ] {
        assert!(search(bad, &d).is_null(), "{bad}");
    }
    // A function that is never reached is never looked up.
    assert_eq!(search("a || nope()", &d), doc!([1, 2]));
    assert_eq!(search("`[]`[?nope()]", &d), doc!([]));
}

#[test]
fn parse_errors_are_told_apart() {
    assert_eq!(parser::parse("a.").err(), Some(Error::Syntax));
    let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(parser::parse(&deep).err(), Some(Error::TooDeep));
    let tall = vec!["a"; 10_000].join(" || ");
    assert_eq!(parser::parse(&tall).err(), Some(Error::TooDeep));
    let long_chain = vec!["a"; 10_000].join(".");
    assert!(parser::parse(&long_chain).is_ok(), "a chain is one node");
}

#[test]
fn hostile_nesting_gives_null_on_a_small_stack() {
    // 1 MiB, half what a tokio worker gets, in a debug build: the deepest expressions that are
    // allowed evaluate, and anything deeper is refused before it recurses.
    std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(|| {
            let mut lists = doc!(1);
            let mut maps = doc!(1);
            for _ in 0..2 * MAX_DEPTH {
                lists = Document::List(vec![lists]);
                maps = doc! {"a": maps};
            }
            let d = doc! {"a": 1, "lists": lists, "maps": maps};
            let nest = |open: &str, inner: &str, close: &str, n: usize| {
                format!("{}{inner}{}", open.repeat(n), close.repeat(n))
            };
            let near = MAX_DEPTH - 3;
            let allowed = [
                nest("(", "a", ")", MAX_DEPTH - 1),
                nest("!", "a", "", near),
                vec!["b"; near].join(" || ") + " || a",
                format!("a{}", " | [@]".repeat(near)),
                format!("a{}", ".[@]".repeat(near)),
                nest("[", "a", "]", near),
                nest("{a: ", "a", "}", near),
                nest("to_array(", "a", ")", near),
                nest("map(&", "a", ", [@])", near / 2),
                nest("(a == ", "a", ")", near / 2),
                format!("lists{}", "[*]".repeat(near)),
                format!("lists{}", "[0:]".repeat(near)),
                format!("maps{}", ".*".repeat(near)),
                format!("lists{}", "[?@]".repeat(near)),
                nest("sort_by([@], &", "a", ")", near / 2),
                nest("lists[?", "@", "]", near),
            ];
            for expr in &allowed {
                let _ = search(expr, &d);
                assert!(parser::parse(expr).is_ok(), "{}...", &expr[..20]);
            }
            let refused = [
                nest("(", "a", ")", 10_000),
                nest("!", "a", "", 10_000),
                vec!["a"; 10_000].join(" || "),
                format!("a{}", " | [@]".repeat(10_000)),
                nest("[", "a", "]", 10_000),
                nest("{a: ", "a", "}", 10_000),
                nest("map(&", "a", ", @)", 10_000),
                format!("lists{}", "[*]".repeat(10_000)),
                format!("maps{}", ".*".repeat(10_000)),
                nest("lists[?", "@", "]", 10_000),
            ];
            for expr in &refused {
                assert_eq!(
                    parser::parse(expr).err(),
                    Some(Error::TooDeep),
                    "{}...",
                    &expr[..20]
                );
                assert!(search(expr, &d).is_null());
            }
            // A chain is one node however long, but the lists it builds still nest.
            let chain = format!("a{}", ".[@]".repeat(10_000));
            assert!(parser::parse(&chain).is_ok());
            assert!(search(&chain, &d).is_null(), "built lists nest too deep");
            assert_eq!(search(&allowed[0], &d), doc!(1));
            assert_eq!(search(&allowed[1], &d), doc!(false));
            assert_eq!(search(&allowed[2], &d), doc!(1));
            assert!(search(&allowed[4], &d).as_list().is_some());
            assert_eq!(search(&allowed[10], &d), d["lists"]);
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn deep_documents_are_walked_without_recursion() {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let mut deep = doc!(1);
            for _ in 0..100_000 {
                deep = Document::List(vec![deep]);
            }
            let d = doc! {"a": deep.clone(), "b": deep};
            assert_eq!(search("a == b", &d), doc!(true));
            let text = search("to_string(a)", &d);
            assert_eq!(text.as_str().map(str::len), Some(200_001));
            assert!(search("contains([a], b)", &d) == doc!(true));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn blobs_and_timestamps_act_as_their_json_strings() {
    let t = Timestamp::from_secs(1_422_172_800);
    let d = doc! {
        "t": Document::Timestamp(t),
        "b": Document::Blob(bytes::Bytes::from_static(b"hi")),
        "items": [{"t": Document::Timestamp(t), "n": 1}]
    };
    assert_eq!(search("type(t)", &d), doc!("string"));
    assert_eq!(search("t == '2015-01-25T08:00:00Z'", &d), doc!(true));
    assert_eq!(search("t > '2015'", &d), doc!(true));
    assert_eq!(search("to_string(b)", &d), doc!("aGk="));
    assert_eq!(search("length(b)", &d), doc!(4));
    assert_eq!(
        search("to_string(items)", &d),
        doc!(r#"[{"t":"2015-01-25T08:00:00Z","n":1}]"#)
    );
    // Selected as they are, not turned into strings.
    assert_eq!(
        search("items[?n == `1`].t", &d),
        Document::List(vec![Document::Timestamp(t)])
    );
    assert_eq!(
        search("sort_by(items, &t)[0].t", &d),
        Document::Timestamp(t)
    );
}
