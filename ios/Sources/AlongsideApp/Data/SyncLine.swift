import Alongside

/// The one calm line about sync: which sentence it says (android's data/SyncLine.kt).
public enum SyncLine: Equatable, Sendable {
    case syncing
    /// The server refused changes: shown with a way to see why.
    case refused(Int64)
    /// Changes wait for signal (the normal state offline).
    case waiting(Int64)
    case signedOut
    /// Everything is saved here and sent; when it last was, if ever.
    case saved(lastSynced: Timestamp?)

    /// The sync line of `status` with `refused` changes kept on the phone.
    public init(_ status: SyncStatus, refused: UInt64) {
        if refused > 0 {
            self = .refused(Int64(refused))
        } else if case .signedOut = status.state {
            self = .signedOut
        } else if status.pending > 0 {
            self = .waiting(Int64(status.pending))
        } else if case .syncing = status.state {
            self = .syncing
        } else {
            self = .saved(lastSynced: status.lastSuccess)
        }
    }
}

extension Store {
    /// The sync line as it changes (refusals come with a push, so each status reads them again).
    public func syncLines() -> AsyncStream<SyncLine> {
        let statuses = syncStatuses()
        return AsyncStream(bufferingPolicy: .bufferingNewest(1)) { out in
            let task = Task {
                for await status in statuses {
                    let refused = (try? await self.local { try $0.refusedCount() }) ?? 0
                    out.yield(SyncLine(status, refused: refused))
                }
                out.finish()
            }
            out.onTermination = { _ in task.cancel() }
        }
    }
}
