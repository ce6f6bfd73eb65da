//! The submission checklists (檢核). STUB.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Ctx, Popup, PopupResult, Screen, View};
use crate::store::Store;
use crate::ui::keys::Action;

pub struct Checklists {
    today: NaiveDate,
}

impl Checklists {
    pub fn new(today: NaiveDate) -> Checklists {
        Checklists { today }
    }
}

impl Screen for Checklists {
    fn title(&self) -> &'static str {
        "ckscreen.title"
    }
    fn commands(&self) -> Vec<Action> {
        vec![]
    }
    fn on_action(&mut self, _action: Action, _ctx: &mut Ctx) -> Option<Popup> {
        None
    }
    fn on_popup(&mut self, _result: PopupResult, _ctx: &mut Ctx) -> Option<Popup> {
        None
    }
    fn reload(&mut self, _store: &Store, today: NaiveDate) {
        self.today = today;
    }
    fn draw(&self, _f: &mut Frame, _area: Rect, _view: &View) {}
}
