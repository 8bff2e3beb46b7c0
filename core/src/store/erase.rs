//! "This phone was signed out and cleared": everything the device holds is
//! deleted when the server says the device was signed out with a wipe (a
//! lost phone). The shell then closes the store and deletes the file and its
//! key from the platform keystore.

use rusqlite::TransactionBehavior;

use super::Store;
use crate::error::Result;

impl Store {
    /// Deletes every row of every table, in one transaction, then rewrites
    /// the file (VACUUM) so no freed page keeps old data. Records, the
    /// outbox, the sign-in and every setting go; the schema stays.
    pub fn erase(&self) -> Result<()> {
        let mut inner = self.lock();
        let tables: Vec<String> = {
            let mut stmt = inner.conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")?;
            stmt.query_map([], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let tx = inner.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for table in &tables {
            tx.execute(&format!("DELETE FROM \"{}\"", table.replace('"', "\"\"")), [])?;
        }
        tx.commit()?;
        inner.conn.execute_batch("VACUUM")?;
        inner.pending = None;
        inner.me = None;
        inner.generation += 1;
        Ok(())
    }
}
