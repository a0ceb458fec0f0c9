//! Document symbols, workspace symbols, code lenses and inlay hints, as plain data.
