//! Property tests in the spirit of fuzzing: every parser at the edge of the
//! system takes arbitrary input and answers with a value or field errors,
//! never a panic. `make fuzz` runs them with many more cases
//! (PROPTEST_CASES=100000).

use domain::calendar::{Calendar, DueQuery};
use domain::date_input::{DateParts, parse_iso_date};
use domain::playbook::Playbook;
use domain::referral::ReferralInput;
use domain::threshold::ThresholdAnswersInput;
use proptest::prelude::*;
use serde_json::Value;

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::from(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,40}".prop_map(Value::String),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("children".to_string()), Just("name".to_string()), Just("aware_on".to_string()),
                    Just("outcome".to_string()), Just("steps".to_string()), Just("summary".to_string()),
                    Just("england-and-wales".to_string()), Just("events".to_string()), Just("date".to_string()),
                    "[a-z_]{1,12}",
                ],
                inner,
                0..8,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn dates(raw in ".{0,30}", day in ".{0,4}", month in ".{0,4}", year in ".{0,6}") {
        let _ = parse_iso_date(&raw);
        let _ = DateParts { day, month, year }.parse();
    }

    #[test]
    fn referral_payloads(body in json()) {
        if let Ok(input) = ReferralInput::from_json(&body) {
            let _ = input.parse(chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        }
    }

    #[test]
    fn threshold_answers(body in json()) {
        if let Ok(input) = ThresholdAnswersInput::from_json(&body) {
            if let Ok(answers) = input.parse() {
                let _ = domain::threshold::decide(&answers, Calendar::england_and_wales());
            }
        }
    }

    #[test]
    fn playbook_json(body in json()) {
        let _ = Playbook::from_json(&body);
    }

    #[test]
    fn bank_holiday_files(body in json(), raw in ".{0,200}") {
        let _ = Calendar::from_gov_uk_json(&body.to_string());
        let _ = Calendar::from_gov_uk_json(&raw);
    }

    #[test]
    fn calendar_queries(from in ".{0,12}", n in ".{0,6}", unit in "[a-z_]{0,20}") {
        if let Ok(q) = DueQuery::parse([("from", from.as_str()), ("n", n.as_str()), ("unit", unit.as_str())]) {
            let _ = Calendar::england_and_wales().due(q.from, q.n, q.unit);
        }
    }
}

#[test]
fn edited_presets_with_random_offsets_never_panic_when_counted() {
    for preset in Playbook::presets() {
        for offset in [0, 1, 7, 130, 1000] {
            let mut p = preset.clone();
            for step in &mut p.steps {
                step.offset = offset;
            }
            let events: Vec<_> = domain::playbook::Event::ALL
                .iter()
                .map(|&kind| domain::deadline::RecordedEvent { kind, on: chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap(), at: None })
                .collect();
            let _ = domain::deadline::deadlines(&p, Calendar::england_and_wales(), &events, &domain::deadline::Route::default());
        }
    }
}
