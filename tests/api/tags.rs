//! The taxonomy: default seed, coordinator edits, retirement.

use kindred_tests::{both_backends, profile_body, Db, TestApp};
use serde_json::json;

both_backends!(
    default_taxonomy_is_seeded,
    coordinators_manage_tags,
    retired_tags_are_kept_but_not_offered
);

async fn default_taxonomy_is_seeded(db: Db) {
    let app = TestApp::spawn(db).await;
    app.get("/tags", None).await.problem(401);
    let (token, _) = app.signup("t@example.org", "mentee").await;
    let res = app.get("/tags", Some(&token)).await;
    assert_eq!(res.status, 200);
    let tags = res.body.as_array().unwrap();
    assert!(
        tags.len() >= 55,
        "about 60 default tags, got {}",
        tags.len()
    );
    for category in ["identity", "experience", "support"] {
        assert!(tags.iter().any(|t| t["category"] == category), "{category}");
    }
    let by_slug = |slug: &str| tags.iter().find(|t| t["slug"] == slug).unwrap().clone();
    assert_eq!(by_slug("bisexual")["sensitive"], true);
    assert_eq!(by_slug("job-search")["sensitive"], false);
    assert!(by_slug("coming-out-at-work")["label"].is_string());
    app.stop().await;
}

async fn coordinators_manage_tags(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("c@example.org").await;
    let (mentee, _) = app.signup("m@example.org", "mentee").await;
    let new_tag = json!({"slug": "parenting-while-queer", "label": "Parenting while queer", "category": "experience", "sensitive": true});
    app.post("/tags", Some(&mentee), &new_tag)
        .await
        .problem(403);
    app.post("/tags", None, &new_tag).await.problem(401);
    let res = app.post("/tags", Some(&coordinator), &new_tag).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["slug"], "parenting-while-queer");
    app.post("/tags", Some(&coordinator), &new_tag)
        .await
        .problem(409);
    let res = app
        .post(
            "/tags",
            Some(&coordinator),
            &json!({"slug": "Bad Slug", "label": "", "category": "hobby", "sensitive": false}),
        )
        .await;
    let body = res.problem(422);
    for field in ["slug", "label", "category"] {
        assert!(body["errors"][field].is_array(), "{field}");
    }
    let res = app
        .patch(
            "/tags/parenting-while-queer",
            Some(&coordinator),
            &json!({"label": "Queer parenting", "category": "support"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["label"], "Queer parenting");
    assert_eq!(res.body["category"], "support");
    app.patch(
        "/tags/no-such-tag",
        Some(&coordinator),
        &json!({"label": "x"}),
    )
    .await
    .problem(404);
    app.patch(
        "/tags/parenting-while-queer",
        Some(&mentee),
        &json!({"label": "x"}),
    )
    .await
    .problem(403);
    app.patch(
        "/tags/parenting-while-queer",
        Some(&coordinator),
        &json!({}),
    )
    .await
    .problem(422);
    app.stop().await;
}

async fn retired_tags_are_kept_but_not_offered(db: Db) {
    let app = TestApp::spawn(db).await;
    let coordinator = app.coordinator("c@example.org").await;
    let (keeper, _) = app.signup("keeper@example.org", "mentee").await;
    app.put("/me/mentee-profile", Some(&keeper), &profile_body("mentee"))
        .await;
    let res = app
        .patch(
            "/tags/coming-out-at-work",
            Some(&coordinator),
            &json!({"retired": true}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let offered = app.get("/tags", Some(&keeper)).await;
    assert!(!offered.text.contains("\"coming-out-at-work\""));
    let all = app
        .get("/tags?include_retired=true", Some(&coordinator))
        .await;
    assert!(all.text.contains("\"coming-out-at-work\""));
    // Kept on the profile that had it, also across a re-save...
    let res = app
        .put("/me/mentee-profile", Some(&keeper), &profile_body("mentee"))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["tags"], json!(["bisexual", "coming-out-at-work"]));
    // ...but nobody can newly add it.
    let (newcomer, _) = app.signup("new@example.org", "mentee").await;
    app.put(
        "/me/mentee-profile",
        Some(&newcomer),
        &profile_body("mentee"),
    )
    .await
    .field_error("tags[1]");
    app.stop().await;
}
