//! Publishing a term's calendar: HTML, Markdown, ICS, CSV. STUB — to be implemented.
