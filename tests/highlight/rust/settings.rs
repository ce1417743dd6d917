//! Parsing of key = value settings.
// <- comment.documentation

use std::collections::HashMap;
// <- keyword.control.import

/// The largest number of entries kept.
pub const MAX_ENTRIES: usize = 1_024;
//  ^ keyword.storage.modifier
//        ^ constant
//                             ^ constant.numeric

#[derive(Debug, Clone, PartialEq)]
// ^ attribute
pub enum Value {
    Text(String),
    // <- type.enum.variant
    Flag(bool),
}

pub struct Settings<'a> {
//  ^ keyword.storage.type
//                  ^ label
    source: &'a str,
    entries: HashMap<String, Value>,
}

impl<'a> Settings<'a> {
    pub fn parse(source: &'a str) -> Result<Self, String> {
    //  ^ keyword.function
    //     ^ function.method
    //           ^ variable.parameter
        let mut entries = HashMap::new();
        // <- keyword.storage
        for (number, line) in source.lines().enumerate() {
        // <- keyword.control.repeat
            let Some((key, value)) = line.split_once('=') else {
            //  ^ type.enum.variant
            //                                       ^ constant.character
                return Err(format!("line {}: missing '='\n", number + 1));
                // <- keyword.control.return
                //         ^ function.macro
                //                                      ^ constant.character.escape
            };
            if matches!(value.trim(), "true" | "false") {
            // <- keyword.control.conditional
            //                        ^ string
                entries.insert(key.trim().to_owned(), Value::Flag(value.trim() == "true"));
                //                                           ^ constructor
            } else {
                entries.insert(key.trim().to_owned(), Value::Text(value.into()));
            }
        }
        Ok(Self { source, entries })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
        // <- variable.builtin
        //   ^ variable.other.member
        //   ^ !function.method
    }
}
