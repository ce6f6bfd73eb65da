//! The term calendar (期程): month, agenda and timeline views. STUB.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Ctx, Popup, PopupResult, Screen, View};
use crate::store::Store;
use crate::ui::keys::Action;

pub struct Calendar {
    today: NaiveDate,
}

impl Calendar {
    pub fn new(today: NaiveDate) -> Calendar {
        Calendar { today }
    }
}

impl Screen for Calendar {
    fn title(&self) -> &'static str {
        "calscreen.title"
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
