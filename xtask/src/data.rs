//! Data chores: check-data, import-gcj02, schemas.

pub fn check_data(_args: &[String]) -> Result<(), String> {
    Err("check-data is not written yet".into())
}

pub fn import_gcj02(_args: &[String]) -> Result<(), String> {
    Err("import-gcj02 is not written yet".into())
}

pub fn schemas(_args: &[String]) -> Result<(), String> {
    Err("schemas is not written yet".into())
}
