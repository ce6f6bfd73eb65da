//! Calendar events from CSV. STUB — to be implemented.
