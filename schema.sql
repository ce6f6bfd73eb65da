-- portfolio-desk: the one definition of the tables.
-- Append-only: each section headed by an "@migration N" comment takes a database from schema
-- version N-1 to N (src/store/migrate.rs, tracked with PRAGMA user_version).
-- Never edit a section that has shipped; add a new one.
-- Every mutable row carries version / updated_at / updated_by; every write
-- also writes an audit row in the same transaction (src/store/mod.rs).
-- Dates are ISO-8601 text (YYYY-MM-DD), timestamps ISO-8601 with offset.

-- @migration 1

-- The school this file holds: exactly one row (id = 1).
-- preset_json is the school's regulation as data, copied from the preset at
-- `init` so that the file keeps its own rules even if the presets change.
CREATE TABLE school (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    short_name  TEXT    NOT NULL,
    preset_key  TEXT    NOT NULL,
    preset_json TEXT    NOT NULL CHECK (json_valid(preset_json)),
    created_at  TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT    NOT NULL,
    updated_by  TEXT    NOT NULL
) STRICT;

-- People the committee is made of: staff, and the parent and student
-- representatives (kept here too, for their contact details).
-- positions: JSON array of position titles (職稱), e.g. ["註冊組長","教師"].
CREATE TABLE staff (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
    positions   TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(positions) AND json_type(positions) = 'array'),
    email       TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    status      TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
    left_on     TEXT             CHECK (left_on IS NULL OR date(left_on) = left_on),
    note        TEXT    NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT    NOT NULL,
    updated_by  TEXT    NOT NULL
) STRICT;
CREATE INDEX staff_name ON staff (name);

-- The working group (工作小組) of one academic year (ROC year, e.g. 111).
CREATE TABLE committee (
    id            INTEGER PRIMARY KEY,
    academic_year INTEGER NOT NULL UNIQUE CHECK (academic_year BETWEEN 1 AND 300),
    note          TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT    NOT NULL,
    updated_by    TEXT    NOT NULL
) STRICT;

-- A seat of a committee, from the preset; staff_id is the member (NULL = vacant).
CREATE TABLE seat (
    id            INTEGER PRIMARY KEY,
    committee_id  INTEGER NOT NULL REFERENCES committee (id) ON DELETE CASCADE,
    ordinal       INTEGER NOT NULL,
    title         TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    kind          TEXT    NOT NULL CHECK (kind IN ('ex_officio', 'representative')),
    role          TEXT    NOT NULL CHECK (role IN ('convener', 'secretary', 'member')),
    staff_id      INTEGER          REFERENCES staff (id) ON DELETE SET NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT    NOT NULL,
    updated_by    TEXT    NOT NULL,
    UNIQUE (committee_id, ordinal)
) STRICT;
CREATE INDEX seat_staff ON seat (staff_id);

-- A form someone was filling in when their session was cut (SSH drop,
-- SIGTERM): restored for the same OS user on their next start.
CREATE TABLE draft (
    id          INTEGER PRIMARY KEY,
    os_user     TEXT    NOT NULL UNIQUE,
    form_json   TEXT    NOT NULL CHECK (json_valid(form_json)),
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT    NOT NULL,
    updated_by  TEXT    NOT NULL
) STRICT;

-- Who changed what, when (異動紀錄). Never updated, only appended.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    os_user     TEXT    NOT NULL,
    tbl         TEXT    NOT NULL,
    row_id      INTEGER NOT NULL,
    action      TEXT    NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    before_json TEXT             CHECK (before_json IS NULL OR json_valid(before_json)),
    after_json  TEXT             CHECK (after_json IS NULL OR json_valid(after_json))
) STRICT;
CREATE INDEX audit_row ON audit (tbl, row_id);

-- @migration 2

-- Course-outcome items (課程學習成果) this person has yet to certify, as the
-- registry clerk reads them off the school platform.
ALTER TABLE staff ADD COLUMN uncertified INTEGER NOT NULL DEFAULT 0 CHECK (uncertified >= 0);

-- Delegate tables (代理人名單): for a position, or for a teacher (course-
-- outcome certification), the delegates who act when it cannot, by rank.
CREATE TABLE delegate_table (
    id           INTEGER PRIMARY KEY,
    position     TEXT             CHECK (position IS NULL OR length(trim(position)) > 0),
    teacher_id   INTEGER          REFERENCES staff (id) ON DELETE CASCADE,
    note         TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    CHECK ((position IS NULL) <> (teacher_id IS NULL)),
    UNIQUE (position),
    UNIQUE (teacher_id)
) STRICT;

-- One delegate: a position (whoever holds it) or a named person, by rank
-- (1 acts first), optionally only within a validity period.
CREATE TABLE delegate (
    id           INTEGER PRIMARY KEY,
    table_id     INTEGER NOT NULL REFERENCES delegate_table (id) ON DELETE CASCADE,
    rank         INTEGER NOT NULL CHECK (rank >= 1),
    position     TEXT             CHECK (position IS NULL OR length(trim(position)) > 0),
    staff_id     INTEGER          REFERENCES staff (id) ON DELETE CASCADE,
    valid_from   TEXT             CHECK (valid_from IS NULL OR date(valid_from) = valid_from),
    valid_to     TEXT             CHECK (valid_to IS NULL OR date(valid_to) = valid_to),
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    CHECK ((position IS NULL) <> (staff_id IS NULL)),
    CHECK ((valid_from IS NULL) = (valid_to IS NULL)),
    CHECK (valid_from IS NULL OR valid_to >= valid_from),
    UNIQUE (table_id, rank)
) STRICT;
CREATE INDEX delegate_staff ON delegate (staff_id);

-- A period when a person cannot act: leave, a vacancy, or having departed.
CREATE TABLE absence (
    id           INTEGER PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    starts_on    TEXT    NOT NULL CHECK (date(starts_on) = starts_on),
    ends_on      TEXT    NOT NULL CHECK (date(ends_on) = ends_on),
    kind         TEXT    NOT NULL CHECK (kind IN ('leave', 'vacancy', 'departed')),
    reason       TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    CHECK (ends_on >= starts_on)
) STRICT;
CREATE INDEX absence_staff ON absence (staff_id, starts_on);

-- @migration 3
-- Terms (學期) as the school records them: the span (by default the
-- semester) and the closing ceremony (休業式) the upload rule needs.
CREATE TABLE term (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL CHECK (year BETWEEN 1 AND 300),
    semester     INTEGER NOT NULL CHECK (semester IN (1, 2)),
    starts_on    TEXT    NOT NULL CHECK (date(starts_on) = starts_on),
    ends_on      TEXT    NOT NULL CHECK (date(ends_on) = ends_on),
    closing_on   TEXT             CHECK (closing_on IS NULL OR date(closing_on) = closing_on),
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    CHECK (ends_on >= starts_on),
    UNIQUE (year, semester)
) STRICT;

-- A dated window on a term's calendar (作業期程). `uid` stays the same for
-- the life of the row, so a re-published ICS updates instead of duplicating.
CREATE TABLE event (
    id           INTEGER PRIMARY KEY,
    term_id      INTEGER NOT NULL REFERENCES term (id) ON DELETE CASCADE,
    uid          TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    phase        TEXT    NOT NULL CHECK (phase IN ('upload', 'certify', 'select',
                     'school_submit', 'receipt_confirm', 'fix', 'central_submit',
                     'self_check', 'training', 'meeting', 'other')),
    grades       INTEGER NOT NULL DEFAULT 0 CHECK (grades BETWEEN 0 AND 7),
    units        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(units)),
    starts_on    TEXT    NOT NULL CHECK (date(starts_on) = starts_on),
    ends_on      TEXT    NOT NULL CHECK (date(ends_on) = ends_on),
    national     INTEGER NOT NULL DEFAULT 0 CHECK (national IN (0, 1)),
    prepares_for INTEGER          REFERENCES event (id) ON DELETE SET NULL,
    notes        TEXT    NOT NULL DEFAULT '',
    done_on      TEXT             CHECK (done_on IS NULL OR date(done_on) = done_on),
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    CHECK (ends_on >= starts_on)
) STRICT;
CREATE INDEX event_term ON event (term_id, starts_on);
CREATE INDEX event_prepares ON event (prepares_for);

-- @migration 4
-- Submission checklists (工作執行檢核表): one per academic year and grade
-- group (grades as a bit set: 10 = 1, 11 = 2, 12 = 4).
CREATE TABLE checklist (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL CHECK (year BETWEEN 1 AND 300),
    grades       INTEGER NOT NULL CHECK (grades BETWEEN 0 AND 7),
    title        TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    UNIQUE (year, grades)
) STRICT;

-- One item: section, title, units (JSON list), planned windows as written
-- (JSON list of {text, semester, label}), an optional calendar window the
-- due date follows, and its status.
CREATE TABLE checklist_item (
    id           INTEGER PRIMARY KEY,
    checklist_id INTEGER NOT NULL REFERENCES checklist (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    section      TEXT    NOT NULL,
    title        TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    units        TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(units)),
    windows      TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(windows)),
    event_id     INTEGER          REFERENCES event (id) ON DELETE SET NULL,
    status       TEXT    NOT NULL DEFAULT 'not_started'
                     CHECK (status IN ('not_started', 'in_progress', 'done', 'not_applicable')),
    done_on      TEXT             CHECK (done_on IS NULL OR date(done_on) = done_on),
    done_by      TEXT,
    note         TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL
) STRICT;
CREATE INDEX checklist_item_list ON checklist_item (checklist_id, position);
CREATE INDEX checklist_item_event ON checklist_item (event_id);

-- Checklists saved for reuse (the body is the template as TOML).
CREATE TABLE checklist_template (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    body         TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL
) STRICT;

-- @migration 5
-- Students, the receipt detail (收訖明細) the central database returns,
-- the students' confirmation of it per term, and discrepancies (疑義).
CREATE TABLE student (
    id           INTEGER PRIMARY KEY,
    student_no   TEXT    NOT NULL UNIQUE CHECK (length(trim(student_no)) > 0),
    name         TEXT    NOT NULL DEFAULT '',
    class        TEXT    NOT NULL DEFAULT '',
    seat         INTEGER          CHECK (seat IS NULL OR seat BETWEEN 1 AND 99),
    grade        INTEGER          CHECK (grade IS NULL OR grade BETWEEN 10 AND 12),
    status       TEXT    NOT NULL DEFAULT 'enrolled' CHECK (status IN ('enrolled',
                     'graduated', 'left', 'transferred', 'reenrolled')),
    postal_code  TEXT    NOT NULL DEFAULT '',
    address      TEXT    NOT NULL DEFAULT '',
    email        TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL
) STRICT;
CREATE INDEX student_class ON student (class, seat);

-- One line of the receipt detail: identified by term, student, category,
-- item and its ordinal among equal ones. `extra` keeps unknown columns.
CREATE TABLE receipt_line (
    id           INTEGER PRIMARY KEY,
    term_id      INTEGER NOT NULL REFERENCES term (id) ON DELETE CASCADE,
    student_id   INTEGER NOT NULL REFERENCES student (id) ON DELETE CASCADE,
    category     TEXT    NOT NULL CHECK (category IN ('basic', 'course_records',
                     'course_outcomes', 'diverse', 'cadre')),
    item         TEXT    NOT NULL DEFAULT '',
    ordinal      INTEGER NOT NULL DEFAULT 1,
    count        INTEGER NOT NULL DEFAULT 1 CHECK (count >= 0),
    extra        TEXT    NOT NULL DEFAULT '',
    resubmit     INTEGER NOT NULL DEFAULT 0 CHECK (resubmit IN (0, 1)),
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    UNIQUE (term_id, student_id, category, item, ordinal)
) STRICT;

-- A student's confirmation of a term's receipt.
CREATE TABLE receipt_confirm (
    id           INTEGER PRIMARY KEY,
    term_id      INTEGER NOT NULL REFERENCES term (id) ON DELETE CASCADE,
    student_id   INTEGER NOT NULL REFERENCES student (id) ON DELETE CASCADE,
    state        TEXT    NOT NULL DEFAULT 'unconfirmed' CHECK (state IN ('unconfirmed',
                     'confirmed', 'disputed', 'deemed')),
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    UNIQUE (term_id, student_id)
) STRICT;

-- A confirmation window set by hand (else the calendar's receipt_confirm window).
CREATE TABLE receipt_window (
    id           INTEGER PRIMARY KEY,
    term_id      INTEGER NOT NULL UNIQUE REFERENCES term (id) ON DELETE CASCADE,
    starts_on    TEXT    NOT NULL CHECK (date(starts_on) = starts_on),
    ends_on      TEXT    NOT NULL CHECK (date(ends_on) = ends_on),
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    CHECK (ends_on >= starts_on)
) STRICT;

CREATE TABLE discrepancy (
    id           INTEGER PRIMARY KEY,
    term_id      INTEGER NOT NULL REFERENCES term (id) ON DELETE CASCADE,
    student_id   INTEGER NOT NULL REFERENCES student (id) ON DELETE CASCADE,
    category     TEXT    NOT NULL CHECK (category IN ('basic', 'course_records',
                     'course_outcomes', 'diverse', 'cadre')),
    line_id      INTEGER          REFERENCES receipt_line (id) ON DELETE SET NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('missing', 'wrong_count', 'wrong_name', 'other')),
    detail       TEXT    NOT NULL DEFAULT '',
    reported_on  TEXT    NOT NULL CHECK (date(reported_on) = reported_on),
    via          TEXT    NOT NULL CHECK (via IN ('platform', 'paper', 'email', 'in_person', 'phone')),
    unit         TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'reported' CHECK (status IN ('reported',
                     'investigating', 'corrected', 'rejected', 'closed')),
    resolution   TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL
) STRICT;
CREATE INDEX discrepancy_student ON discrepancy (student_id, term_id);
CREATE INDEX discrepancy_term ON discrepancy (term_id, status);
CREATE INDEX discrepancy_line ON discrepancy (line_id);

-- Every workflow step of a discrepancy: to which status, the note, who, when.
CREATE TABLE discrepancy_step (
    id             INTEGER PRIMARY KEY,
    discrepancy_id INTEGER NOT NULL REFERENCES discrepancy (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL
) STRICT;
CREATE INDEX discrepancy_step_of ON discrepancy_step (discrepancy_id);

-- @migration 6
-- Drafts per running session, not per OS user (issue 12): two sessions of one
-- user keep one draft each. A row lives until its form is saved or discarded;
-- a session whose process is gone leaves its draft for the user's next start.
-- Rows of the old table become drafts of a session that no longer runs.
CREATE TABLE session_draft (
    id          INTEGER PRIMARY KEY,
    session_id  TEXT    NOT NULL,
    os_user     TEXT    NOT NULL,
    screen      INTEGER NOT NULL,
    form_json   TEXT    NOT NULL CHECK (json_valid(form_json)),
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT    NOT NULL,
    updated_by  TEXT    NOT NULL,
    UNIQUE (session_id, os_user, screen)
) STRICT;
CREATE INDEX session_draft_user ON session_draft (os_user, updated_at);
INSERT INTO session_draft (session_id, os_user, screen, form_json, version, updated_at, updated_by)
    SELECT 'legacy-' || os_user, os_user, coalesce(json_extract(form_json, '$.screen'), 0),
           form_json, version, updated_at, updated_by
    FROM draft;
DROP TABLE draft;

-- @migration 7
-- Receipt imports (issue 12): one row per import and term with its counts,
-- the old row of every line an import changed or removed, and on each line
-- the import that added it, so that the newest import of a term can be
-- shown and undone.
CREATE TABLE receipt_import (
    id           INTEGER PRIMARY KEY,
    term_id      INTEGER NOT NULL REFERENCES term (id) ON DELETE CASCADE,
    at           TEXT    NOT NULL,
    os_user      TEXT    NOT NULL,
    added        INTEGER NOT NULL DEFAULT 0,
    removed      INTEGER NOT NULL DEFAULT 0,
    changed      INTEGER NOT NULL DEFAULT 0,
    unchanged    INTEGER NOT NULL DEFAULT 0,
    undone_at    TEXT,
    undone_by    TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL
) STRICT;
CREATE INDEX receipt_import_term ON receipt_import (term_id, id);

CREATE TABLE receipt_line_archive (
    id             INTEGER PRIMARY KEY,
    import_id      INTEGER NOT NULL REFERENCES receipt_import (id) ON DELETE CASCADE,
    action         TEXT    NOT NULL CHECK (action IN ('changed', 'removed')),
    line_id        INTEGER NOT NULL,
    term_id        INTEGER NOT NULL,
    student_id     INTEGER NOT NULL,
    category       TEXT    NOT NULL,
    item           TEXT    NOT NULL,
    ordinal        INTEGER NOT NULL,
    count          INTEGER NOT NULL,
    extra          TEXT    NOT NULL,
    resubmit       INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    updated_at     TEXT    NOT NULL,
    updated_by     TEXT    NOT NULL,
    line_import_id INTEGER
) STRICT;
CREATE INDEX receipt_line_archive_import ON receipt_line_archive (import_id, action);

-- The import that added the line (NULL for lines older than migration 7).
ALTER TABLE receipt_line ADD COLUMN import_id INTEGER;

-- @migration 8
-- Committee meetings (issue 14). A meeting belongs to an academic year (the
-- committee's) and a recorded term; its number (第 N 次) counts per year.
-- chair_id NULL: the convener, or who acts for the convener on the date (the
-- delegate tables). event_id: the calendar's meeting window for the meeting,
-- created, moved and deleted with it in the same transaction.
CREATE TABLE meeting (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL CHECK (year BETWEEN 1 AND 300),
    term_id      INTEGER NOT NULL REFERENCES term (id),
    number       INTEGER NOT NULL CHECK (number >= 1),
    held_on      TEXT    NOT NULL CHECK (date(held_on) = held_on),
    starts_at    TEXT    NOT NULL CHECK (length(starts_at) = 5 AND time(starts_at) = starts_at || ':00'),
    ends_at      TEXT             CHECK (ends_at IS NULL OR (length(ends_at) = 5 AND time(ends_at) = ends_at || ':00')),
    place        TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL DEFAULT 'regular' CHECK (kind IN ('regular', 'extra')),
    chair_id     INTEGER          REFERENCES staff (id) ON DELETE SET NULL,
    recorder_id  INTEGER          REFERENCES staff (id) ON DELETE SET NULL,
    status       TEXT    NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'confirmed')),
    event_id     INTEGER          UNIQUE REFERENCES event (id) ON DELETE SET NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    UNIQUE (year, number)
) STRICT;
CREATE INDEX meeting_date ON meeting (held_on);
CREATE INDEX meeting_term ON meeting (term_id);

-- Attendance of one committee member at one meeting: present (出席),
-- excused (請假) or represented (代理出席, by proxy_id). No row: not recorded.
CREATE TABLE attendance (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    staff_id     INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    status       TEXT    NOT NULL CHECK (status IN ('present', 'excused', 'proxy')),
    proxy_id     INTEGER          REFERENCES staff (id) ON DELETE CASCADE,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL,
    CHECK ((status = 'proxy') = (proxy_id IS NOT NULL)),
    UNIQUE (meeting_id, staff_id)
) STRICT;

-- One item of a meeting's agenda, in its section (報告事項 report,
-- 前次會議決議執行情形 previous, 討論事項 motion, 臨時動議 extempore) at its
-- position. topic: the key of a generated report (NULL: written by hand).
-- The decision (決議) with its owner unit, due date and done date lives on
-- the item; carried_from: for a `previous` item, the item whose decision it
-- reports on.
CREATE TABLE agenda_item (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    section      TEXT    NOT NULL CHECK (section IN ('report', 'previous', 'motion', 'extempore')),
    position     INTEGER NOT NULL,
    title        TEXT    NOT NULL CHECK (length(trim(title)) > 0),
    topic        TEXT,
    body         TEXT    NOT NULL DEFAULT '',
    proposer     TEXT    NOT NULL DEFAULT '',
    proposal     TEXT    NOT NULL DEFAULT '',
    decision     TEXT    NOT NULL DEFAULT '',
    owner        TEXT    NOT NULL DEFAULT '',
    due_on       TEXT             CHECK (due_on IS NULL OR date(due_on) = due_on),
    done_on      TEXT             CHECK (done_on IS NULL OR date(done_on) = done_on),
    carried_from INTEGER          REFERENCES agenda_item (id) ON DELETE SET NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT    NOT NULL,
    updated_by   TEXT    NOT NULL
) STRICT;
CREATE INDEX agenda_item_meeting ON agenda_item (meeting_id, section, position);
CREATE INDEX agenda_item_carried ON agenda_item (carried_from);
CREATE INDEX agenda_item_open ON agenda_item (done_on, due_on) WHERE decision <> '';
