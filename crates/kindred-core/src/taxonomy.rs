//! The default tag taxonomy seeded into a fresh installation.

use serde::Serialize;

use crate::tags::TagCategory;

/// One default tag. `&'static str` so the list costs nothing until seeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TagSeed {
    /// Stable identifier (a valid [`crate::TagSlug`]).
    pub slug: &'static str,
    /// Human label.
    pub label: &'static str,
    /// Category.
    pub category: TagCategory,
    /// Special-category data under GDPR art. 9 (see [`default_taxonomy`]).
    pub sensitive: bool,
}

const fn t(
    slug: &'static str,
    label: &'static str,
    category: TagCategory,
    sensitive: bool,
) -> TagSeed {
    TagSeed {
        slug,
        label,
        category,
        sensitive,
    }
}

use TagCategory::{Experience as E, Identity as I, Support as S};

/// `true` = special-category data; named for readability of the table below.
const SENSITIVE: bool = true;
const PLAIN: bool = false;

const DEFAULT_TAGS: &[TagSeed] = &[
    // --- identity: sexual orientation and gender identity (art. 9: sex life / orientation) ---
    t("lesbian", "Lesbian", I, SENSITIVE),
    t("gay", "Gay", I, SENSITIVE),
    t("bisexual", "Bisexual", I, SENSITIVE),
    t("pansexual", "Pansexual", I, SENSITIVE),
    t("asexual", "Asexual / aromantic", I, SENSITIVE),
    t("queer", "Queer", I, SENSITIVE),
    t("transgender", "Transgender", I, SENSITIVE),
    t("non-binary", "Non-binary", I, SENSITIVE),
    t("intersex", "Intersex", I, SENSITIVE),
    t("questioning", "Questioning", I, SENSITIVE),
    // --- identity: race and ethnic origin (art. 9) ---
    t("black", "Black", I, SENSITIVE),
    t("latinx", "Latinx / Hispanic", I, SENSITIVE),
    t("asian", "Asian", I, SENSITIVE),
    t("indigenous", "Indigenous", I, SENSITIVE),
    t("roma", "Roma / Traveller", I, SENSITIVE),
    t(
        "middle-eastern-north-african",
        "Middle Eastern / North African",
        I,
        SENSITIVE,
    ),
    t("mixed-heritage", "Mixed heritage", I, SENSITIVE),
    // --- identity: disability and health (art. 9: health data) ---
    t("physical-disability", "Physical disability", I, SENSITIVE),
    t("neurodivergent", "Neurodivergent", I, SENSITIVE),
    t("autistic", "Autistic", I, SENSITIVE),
    t("adhd", "ADHD", I, SENSITIVE),
    t(
        "deaf-hard-of-hearing",
        "Deaf / hard of hearing",
        I,
        SENSITIVE,
    ),
    t("blind-low-vision", "Blind / low vision", I, SENSITIVE),
    t("chronic-illness", "Chronic illness", I, SENSITIVE),
    t(
        "mental-health-condition",
        "Mental health condition",
        I,
        SENSITIVE,
    ),
    // --- identity: religion or belief (art. 9) ---
    t("muslim", "Muslim", I, SENSITIVE),
    t("jewish", "Jewish", I, SENSITIVE),
    t("christian", "Christian", I, SENSITIVE),
    t("minority-faith", "Other / minority faith", I, SENSITIVE),
    t("ex-religious", "Ex-religious", I, SENSITIVE),
    // --- identity: migration (asylum status treated as special-category) ---
    t("migrant", "Migrant", I, PLAIN),
    t(
        "refugee-asylum-seeker",
        "Refugee / asylum seeker",
        I,
        SENSITIVE,
    ),
    t(
        "first-generation-immigrant",
        "First-generation immigrant",
        I,
        PLAIN,
    ),
    // --- identity: age, education, class ---
    t("young-adult", "Young adult (18–25)", I, PLAIN),
    t("older-adult", "Older adult (55+)", I, PLAIN),
    t(
        "first-generation-student",
        "First-generation student",
        I,
        PLAIN,
    ),
    t("working-class", "Working-class background", I, PLAIN),
    // --- experience ---
    // Experiences that directly reveal an art. 9 category (orientation, gender identity,
    // health, religion, ethnicity, victimhood of abuse or hate crime, asylum) are sensitive:
    // data revealing such a category indirectly is protected as well.
    t("coming-out", "Coming out", E, SENSITIVE),
    t("coming-out-at-work", "Coming out at work", E, SENSITIVE),
    t("social-transition", "Social transition", E, SENSITIVE),
    t("medical-transition", "Medical transition", E, SENSITIVE),
    t("legal-transition", "Legal transition", E, SENSITIVE),
    t(
        "homophobia-transphobia",
        "Homophobia, biphobia or transphobia",
        E,
        SENSITIVE,
    ),
    t("racism", "Racism", E, SENSITIVE),
    t(
        "domestic-abuse-survivor",
        "Domestic abuse survivor",
        E,
        SENSITIVE,
    ),
    t("hate-crime-survivor", "Hate crime survivor", E, SENSITIVE),
    t("living-with-hiv", "Living with HIV", E, SENSITIVE),
    t("religious-trauma", "Religious trauma", E, SENSITIVE),
    t(
        "navigating-asylum",
        "Navigating the asylum process",
        E,
        SENSITIVE,
    ),
    t(
        "workplace-discrimination",
        "Workplace discrimination",
        E,
        PLAIN,
    ),
    t("social-exclusion", "Social exclusion", E, PLAIN),
    t("self-stigma", "Self-stigma / internalised shame", E, PLAIN),
    t("family-rejection", "Family rejection", E, PLAIN),
    t("bullying", "Bullying", E, PLAIN),
    t("isolation-loneliness", "Isolation / loneliness", E, PLAIN),
    t("body-image", "Body image", E, PLAIN),
    // --- support: what someone wants help with; never special-category by itself ---
    t("job-search", "Job search", S, PLAIN),
    t("career-growth", "Career growth", S, PLAIN),
    t("education", "Education and studies", S, PLAIN),
    t("housing", "Housing", S, PLAIN),
    t("healthcare-access", "Accessing healthcare", S, PLAIN),
    t(
        "mental-health-coping",
        "Mental health coping strategies",
        S,
        PLAIN,
    ),
    t("legal-rights", "Knowing your legal rights", S, PLAIN),
    t(
        "name-gender-marker-change",
        "Name / gender marker change",
        S,
        PLAIN,
    ),
    t("building-community", "Building community", S, PLAIN),
    t("relationships", "Relationships", S, PLAIN),
    t("finances", "Finances", S, PLAIN),
    t("confidence", "Confidence", S, PLAIN),
];

/// The taxonomy a new installation starts with (about 65 tags across all three categories).
///
/// `sensitive` marks GDPR art. 9 special-category data — sexual orientation, gender
/// identity, race/ethnicity, health/disability, religion, HIV status, abuse or hate-crime
/// victimhood, asylum status — including experiences that reveal one of those; profiles
/// can only carry such tags with explicit consent. Support topics are never sensitive.
pub fn default_taxonomy() -> Vec<TagSeed> {
    DEFAULT_TAGS.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::TagSlug;
    use std::collections::HashSet;

    #[test]
    fn slugs_unique_and_valid() {
        let tags = default_taxonomy();
        let mut seen = HashSet::new();
        for tag in &tags {
            assert!(TagSlug::parse(tag.slug).is_ok(), "{}", tag.slug);
            assert!(seen.insert(tag.slug), "duplicate {}", tag.slug);
            assert!(!tag.label.is_empty() && tag.label.chars().count() <= 80);
        }
        assert!(tags.len() >= 55, "only {} tags", tags.len());
    }

    #[test]
    fn all_categories_present_and_support_not_sensitive() {
        let tags = default_taxonomy();
        for c in TagCategory::ALL {
            assert!(tags.iter().any(|t| t.category == c), "{c} missing");
        }
        assert!(tags
            .iter()
            .filter(|t| t.category == TagCategory::Support)
            .all(|t| !t.sensitive));
    }

    #[test]
    fn contract_examples_exist_and_special_categories_are_sensitive() {
        let tags = default_taxonomy();
        let get = |s: &str| tags.iter().find(|t| t.slug == s).copied().unwrap();
        for s in [
            "bisexual",
            "transgender",
            "black",
            "autistic",
            "muslim",
            "living-with-hiv",
            "domestic-abuse-survivor",
            "hate-crime-survivor",
            "refugee-asylum-seeker",
            "coming-out-at-work",
        ] {
            assert!(get(s).sensitive, "{s} should be sensitive");
        }
        assert!(!get("job-search").sensitive);
    }
}
