//! No private tag name ever appears in an explanation.

use kindred_matching::*;
use proptest::prelude::*;

fn person_tags(bits: u32, n_pub: usize, n_priv: usize) -> (Vec<String>, Vec<String>) {
    let mut public = Vec::new();
    let mut private = Vec::new();
    for i in 0..n_pub {
        if bits >> i & 1 == 1 {
            public.push(format!("pub-{i}"));
        }
    }
    for i in 0..n_priv {
        if bits >> (16 + i) & 1 == 1 {
            private.push(format!("secret-{i}-zq"));
        }
    }
    // Some public tags are also kept private by this person: private wins.
    if bits >> 30 & 1 == 1 && !public.is_empty() {
        private.push(public[0].clone());
    }
    (public, private)
}

fn build(people: &[(u32, u8)], n_mentees: usize) -> Problem {
    let n_pub = 8;
    let n_priv = 8;
    let mut tags: Vec<Tag> = (0..n_pub)
        .map(|i| Tag {
            slug: format!("pub-{i}"),
            category: format!("c{}", i % 3),
            sensitive: i % 2 == 0,
        })
        .collect();
    tags.extend((0..n_priv).map(|i| Tag {
        slug: format!("secret-{i}-zq"),
        category: "health".into(),
        sensitive: true,
    }));
    let mut p = Problem {
        taxonomy: Taxonomy { tags },
        ..Default::default()
    };
    for (k, &(bits, extra)) in people.iter().enumerate() {
        let (public_tags, private_tags) = person_tags(bits, n_pub, n_priv);
        let availability = vec![Window {
            day: Weekday::ALL[(extra % 7) as usize],
            start_min: 600,
            end_min: 720,
        }];
        if k < n_mentees {
            // required tags may be private to the mentee or the mentor, or public
            let required_tags = match extra % 5 {
                0 => private_tags.first().cloned().into_iter().collect(),
                1 => public_tags.first().cloned().into_iter().collect(),
                _ => Vec::new(),
            };
            p.requests.push(MenteeRequest {
                id: format!("r{k}"),
                mentee_id: format!("u{k}"),
                languages: vec!["en".into()],
                timezone: "Europe/Berlin".into(),
                availability,
                meeting_modes: vec![MeetingMode::Online],
                public_tags,
                private_tags,
                required_tags,
                waited_days: u32::from(extra),
                ..Default::default()
            });
        } else {
            p.mentors.push(Mentor {
                id: format!("m{k}"),
                languages: vec!["en".into()],
                timezone: "America/New_York".into(),
                availability,
                meeting_modes: vec![MeetingMode::Online],
                public_tags,
                private_tags,
                capacity_remaining: 1 + u32::from(extra % 3),
                accepting: true,
                ..Default::default()
            });
        }
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn no_private_tag_name_in_any_explanation(
        people in prop::collection::vec((any::<u32>(), any::<u8>()), 2..24),
        split in 1usize..12,
    ) {
        let n_mentees = split.min(people.len() - 1);
        let p = build(&people, n_mentees);
        let eng = Engine::new(&p).expect("valid");
        let mut explanations = Vec::new();
        for mode in [Mode::Optimal, Mode::Stable] {
            let res = eng.run(mode);
            for pair in res.pairs {
                explanations.push((pair.request_id, pair.mentor_id, pair.explanation));
            }
        }
        for (i, r) in p.requests.iter().enumerate() {
            for s in eng.suggest(i, 5) {
                explanations.push((r.id.clone(), s.mentor_id, s.explanation));
            }
        }
        for (rid, mid, ex) in explanations {
            let json = serde_json::to_string(&ex).expect("serializes");
            prop_assert!(!json.contains("secret-"), "private slug leaked: {json}");
            let req = p.requests.iter().find(|r| r.id == rid).expect("request");
            let men = p.mentors.iter().find(|m| m.id == mid).expect("mentor");
            // nothing either person keeps private is named, in any text
            for t in req.private_tags.iter().chain(men.private_tags.iter()) {
                prop_assert!(!ex.shared_tags.contains(t));
                for c in &ex.components {
                    prop_assert!(!c.detail.contains(&format!("{t};")) && !c.detail.contains(&format!("{t} ")) && !c.detail.contains(&format!("{t},")),
                        "private tag {t} named in {json}");
                }
            }
            // shared_tags are exactly the tags both show publicly
            for t in &ex.shared_tags {
                prop_assert!(req.public_tags.contains(t) && men.public_tags.contains(t));
                prop_assert!(!req.private_tags.contains(t) && !men.private_tags.contains(t));
            }
            // a required tag is met only by a tag the mentor shows publicly
            for t in &req.required_tags {
                prop_assert!(men.public_tags.contains(t) && !men.private_tags.contains(t),
                    "required tag {t} met by a private tag: {json}");
            }
            prop_assert_eq!(ex.components.iter().map(|c| c.points).sum::<i64>(), ex.total);
        }
    }
}
