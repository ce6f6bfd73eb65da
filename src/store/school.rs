//! The school row: name and the regulation (preset) it runs under.

use crate::domain::access::Action;
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError};
use crate::domain::committee::RowMeta;
use crate::domain::preset::Preset;

#[derive(Debug, Clone, PartialEq)]
pub struct School {
    pub name: String,
    pub short_name: String,
    pub preset_key: String,
    pub preset: Preset,
    pub created_at: String,
    pub meta: RowMeta,
}

impl Store {
    /// The school of this file, or None for a new, empty file.
    pub fn school(&self) -> Result<Option<School>> {
        let row = self
            .conn
            .query_row(
                "SELECT name, short_name, preset_key, preset_json, created_at, version, updated_at, updated_by
                 FROM school WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        RowMeta {
                            version: r.get(5)?,
                            updated_at: r.get(6)?,
                            updated_by: r.get(7)?,
                        },
                    ))
                },
            )
            .optional()?;
        let Some((name, short_name, preset_key, json, created_at, meta)) = row else {
            return Ok(None);
        };
        let preset: Preset = serde_json::from_str(&json).map_err(|e| StoreError::Db {
            detail: format!("school.preset_json: {e}"),
        })?;
        Ok(Some(School {
            name,
            short_name,
            preset_key,
            preset,
            created_at,
            meta,
        }))
    }

    /// The school, or `NoSchool` (for callers that need one).
    pub fn require_school(&self) -> Result<School> {
        self.school()?.ok_or(StoreError::NoSchool)
    }

    /// Creates the school from a preset, with the committee of
    /// `academic_year` laid out from the preset's seats (all vacant).
    /// Refused if the file already holds a school.
    pub fn init_school(&mut self, preset: &Preset, academic_year: i32) -> Result<School> {
        if let Some(s) = self.school()? {
            return Err(StoreError::SchoolExists { name: s.name });
        }
        let json = serde_json::to_string(preset).map_err(|e| StoreError::Db {
            detail: e.to_string(),
        })?;
        self.write(Action::CreateSchool, |w| {
            w.tx.execute(
                "INSERT INTO school (id, name, short_name, preset_key, preset_json, created_at, updated_at, updated_by)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?5, ?6)",
                params![
                    preset.school_name,
                    preset.short_name,
                    preset.key,
                    json,
                    w.at,
                    w.user
                ],
            )?;
            w.audit(
                "school",
                1,
                "insert",
                None::<&()>,
                Some(&serde_json::json!({
                    "name": preset.school_name,
                    "preset_key": preset.key,
                })),
            )?;
            // The login that creates the school is its first administrator.
            w.grant_founder()?;
            w.create_committee(academic_year, &preset.seats)?;
            w.load_preset_delegates(&preset.delegates)?;
            Ok(())
        })?;
        self.require_school()
    }
}
