//! Unit tests of JIDs and phone numbers.

use super::*;

#[test]
fn parses_the_identifier_kinds() {
    let j = Jid::parse("49123456789-1509911919@g.us").unwrap();
    assert_eq!((j.user.as_str(), j.server.as_str()), ("49123456789-1509911919", "g.us"));
    assert!(j.is_group() && !j.is_user());
    assert!(Jid::parse(STATUS_BROADCAST).unwrap().is_broadcast());
    assert_eq!(Jid::parse("g.us"), Some(Jid::new("", "g.us")));
    assert_eq!(Jid::parse("g.us").unwrap().to_string(), "g.us");
}

#[test]
fn rejects_malformed() {
    for s in ["", "@c.us", "123@", "a@b@c", "hello", "123"] {
        assert_eq!(Jid::parse(s), None, "{s:?}");
    }
}

#[test]
fn maps_the_user_server_both_ways() {
    assert_eq!(to_c_us("1@s.whatsapp.net"), "1@c.us");
    assert_eq!(to_c_us("s.whatsapp.net"), "c.us");
    assert_eq!(to_c_us("1@c.us"), "1@c.us");
    assert_eq!(to_c_us("xs.whatsapp.net"), "xs.whatsapp.net");
    assert_eq!(to_c_us("@s.whatsapp.net"), "@s.whatsapp.net");
    assert_eq!(to_whatsapp_net("1@c.us"), "1@s.whatsapp.net");
    assert_eq!(to_whatsapp_net("c.us"), "s.whatsapp.net");
    assert_eq!(to_whatsapp_net("1@g.us"), "1@g.us");
    assert_eq!(to_whatsapp_net("1@xc.us"), "1@xc.us");
    let j = Jid::parse("1@c.us").unwrap();
    assert_eq!(j.to_whatsapp_net().to_string(), "1@s.whatsapp.net");
    assert_eq!(Jid::parse("1@g.us").unwrap().to_c_us().to_string(), "1@g.us");
}

#[test]
fn classifies_strings() {
    assert!(is_user("33612345678@c.us"));
    assert!(is_user("33612345678@s.whatsapp.net"));
    assert!(!is_user("c.us"));
    assert!(is_group("1-2@g.us"));
    assert!(!is_group("1@c.us"));
}

#[test]
fn phones_follow_the_rule() {
    for good in ["15550000001", "33612345678", "4900001", "491700000001", "123456789012345"] {
        let phone = Phone::parse(good).unwrap();
        assert_eq!(phone.as_str(), good);
        assert_eq!(phone.to_string(), good);
    }
    let refusals = [
        ("", PhoneError::Empty),
        ("1", PhoneError::TooShort("1".into())),
        ("12", PhoneError::TooShort("12".into())),
        ("490001", PhoneError::TooShort("490001".into())),
        ("1234567890123456", PhoneError::TooLong("1234567890123456".into())),
        ("033612345678", PhoneError::LeadingZero("033612345678".into())),
        ("+33612345678", PhoneError::NotDigits("+33612345678".into())),
        ("336 1234 5678", PhoneError::NotDigits("336 1234 5678".into())),
        ("٣٣٦١٢٣٤٥٦٧٨", PhoneError::NotDigits("٣٣٦١٢٣٤٥٦٧٨".into())),
    ];
    for (bad, why) in refusals {
        assert_eq!(Phone::parse(bad), Err(why), "{bad:?}");
    }
}

#[test]
fn refusals_state_the_rule_briefly() {
    let message = Phone::parse("12").unwrap_err().to_string();
    assert!(message.contains("\"12\"") && message.contains("too short"), "{message}");
    assert!(message.contains(PHONE_RULE), "{message}");
    let huge = "9".repeat(100_000);
    assert!(Phone::parse(&huge).unwrap_err().to_string().len() < 300);
}

#[test]
fn phones_and_jids_in_both_spellings() {
    let phone = Phone::parse("15550000001").unwrap();
    assert_eq!(phone.wire_jid(), "15550000001@c.us");
    assert_eq!(phone.store_jid(), "15550000001@s.whatsapp.net");
    assert_eq!(phone.jid().to_string(), phone.wire_jid());
    for spelled in ["15550000001@c.us", "15550000001@s.whatsapp.net"] {
        assert_eq!(Phone::from_jid(spelled), Some(phone.clone()), "{spelled}");
        let jid = Jid::parse(spelled).unwrap();
        assert_eq!(jid.wire(), phone.wire_jid());
        assert_eq!(jid.stored(), phone.store_jid());
    }
    for not_a_person in ["1-2@g.us", "status@broadcast", "abc@c.us", "c.us", "", "1@c.us", "x@y"] {
        assert_eq!(Phone::from_jid(not_a_person), None, "{not_a_person}");
    }
    let group = Jid::parse("15550000001-1700000000@g.us").unwrap();
    assert_eq!((group.wire(), group.stored()), (group.to_string(), group.to_string()));
    assert_eq!(group.phone(), None);
}

#[test]
fn phones_go_through_serde_checked() {
    let phone: Phone = serde_json::from_str("\"33612345678\"").unwrap();
    assert_eq!(serde_json::to_string(&phone).unwrap(), "\"33612345678\"");
    let refused = serde_json::from_str::<Phone>("\"1\"").unwrap_err().to_string();
    assert!(refused.contains("too short"), "{refused}");
    assert!(serde_json::from_str::<Phone>("33612345678").is_err());
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn valid_phones_roundtrip_through_both_spellings(p in "[1-9][0-9]{6,14}") {
            let phone = Phone::parse(&p).unwrap();
            prop_assert_eq!(phone.as_str(), p.as_str());
            for spelled in [phone.wire_jid(), phone.store_jid()] {
                let jid = Jid::parse(&spelled).unwrap();
                prop_assert!(jid.is_user() && !jid.is_group());
                prop_assert_eq!(jid.phone(), Some(phone.clone()));
                prop_assert_eq!(jid.wire(), phone.wire_jid());
                prop_assert_eq!(jid.stored(), phone.store_jid());
                prop_assert_eq!(jid.to_string(), spelled.clone());
                prop_assert_eq!(to_c_us(&spelled), phone.wire_jid());
                prop_assert_eq!(to_whatsapp_net(&spelled), phone.store_jid());
            }
        }

        #[test]
        fn parse_accepts_exactly_the_rule(s in "[0-9]{0,20}|[+ 0-9a]{0,20}|\\PC{0,20}") {
            // Mostly digits, so that both sides of the rule come up; then near-misses.
            let rule = (MIN_PHONE_DIGITS..=MAX_PHONE_DIGITS).contains(&s.len())
                && s.bytes().all(|b| b.is_ascii_digit())
                && !s.starts_with('0');
            prop_assert_eq!(Phone::parse(&s).is_ok(), rule);
        }

        #[test]
        fn short_or_zero_led_digits_are_refused(p in "[0-9]{0,6}|0[0-9]{6,14}|[1-9][0-9]{15,30}") {
            prop_assert!(Phone::parse(&p).is_err());
        }

        #[test]
        fn jids_print_as_parsed(user in "[0-9a-z.-]{1,20}", server in "(c\\.us|s\\.whatsapp\\.net|g\\.us|broadcast)") {
            let text = format!("{user}@{server}");
            let jid = Jid::parse(&text).unwrap();
            prop_assert_eq!(jid.to_string(), text.clone());
            prop_assert_eq!(Jid::parse(&jid.wire()).unwrap().stored(), jid.stored());
            prop_assert_eq!(jid.is_group(), server == "g.us");
        }
    }
}

#[test]
fn numbers_already_held_are_spelled_without_the_rule() {
    assert_eq!(person_jid("111"), "111@c.us");
    assert_eq!(person_store_jid("111"), "111@s.whatsapp.net");
    assert_eq!(person_number("111@c.us").as_deref(), Some("111"));
    assert_eq!(person_number("111@s.whatsapp.net").as_deref(), Some("111"));
    for not_a_person in ["1-2@g.us", "status@broadcast", "abc@c.us", "c.us", "", "1@x", "+1@c.us"] {
        assert_eq!(person_number(not_a_person), None, "{not_a_person}");
    }
    // The rule still decides what a Phone is.
    assert_eq!(Jid::parse("111@c.us").unwrap().number(), Some("111"));
    assert_eq!(Jid::parse("111@c.us").unwrap().phone(), None);
}
