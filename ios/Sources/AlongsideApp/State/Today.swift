import Alongside
import Foundation

/// The quick check-in on Today.
public struct CheckInForm: Equatable, Sendable {
    public var mood: Int64?
    public var craving = ""
    public var note = ""
    public var problem: Problem?
    public var saved = false
}

/// The participant's home screen.
@MainActor
public final class TodayModel: ScreenModel {
    @Published public private(set) var today: Today? = nil
    @Published public private(set) var sync: SyncLine = .saved(lastSynced: nil)
    @Published public private(set) var checkIn = CheckInForm()
    /// The milestone just celebrated, for a quiet "well done".
    @Published public private(set) var celebrated: String? = nil
    private let participantId: String

    public init(store: Store, participantId: String) {
        self.participantId = participantId
        super.init(store: store)
        follow(store.query(participantId) { try $0.today(participantId: participantId) }) { [weak self] in self?.today = $0 }
        follow(store.syncLines()) { [weak self] in self?.sync = $0 }
    }

    public func editCheckIn(_ change: (inout CheckInForm) -> Void) {
        change(&checkIn)
        checkIn.problem = nil
        checkIn.saved = false
    }

    public func saveCheckIn() {
        let entered = checkIn
        guard let mood = entered.mood else { return }
        let participantId = self.participantId
        act({ [weak self] problem in self?.checkIn.problem = problem }) { [weak self] in
            let record = CheckIn(
                participantId: participantId, at: timestampNow(), mood: mood,
                craving: typedNumber(entered.craving), note: entered.note.trimmedOrNil)
            _ = try await self?.store.local { try $0.createCheckIn(record: record) }
            self?.checkIn = CheckInForm(saved: true)
        }
    }

    public func celebrate(_ reached: [ReachedMilestone]) {
        let participantId = self.participantId
        act({ _ in }) { [weak self] in
            try await self?.store.local { core in
                for milestone in reached { _ = try core.celebrate(participantId: participantId, reached: milestone) }
            }
            self?.celebrated = reached.first?.title
        }
    }
}

/// The new period's first day, typed; today unless the person says otherwise.
public struct StartAgainForm: Equatable, Sendable {
    public var startDate: String
    public var problem: Problem?
}

/// Starting a new recovery period ("starting again"): the current one closes and stays in the history.
@MainActor
public final class StartAgainModel: ScreenModel {
    @Published public private(set) var form: StartAgainForm
    private let participantId: String
    private let session: AppModel

    public init(session: AppModel, participantId: String) {
        self.session = session
        self.participantId = participantId
        let today = DateFormatter()
        today.locale = Locale(identifier: "en_US_POSIX")
        today.dateFormat = "yyyy-MM-dd"
        form = StartAgainForm(startDate: today.string(from: Date()))
        super.init(store: session.store)
    }

    public func edit(_ startDate: String) {
        form = StartAgainForm(startDate: startDate)
    }

    public func start() {
        let entered = form.startDate
        let words = session.words
        let participantId = self.participantId
        act({ [weak self] problem in self?.form.problem = problem }) { [weak self] in
            let date = try requiredDate(entered, field: "start_date", words: words)
            _ = try await self?.store.local { try $0.startRecoveryPeriod(participantId: participantId, startDate: date, note: nil) }
            self?.session.navigator.back()
        }
    }
}
