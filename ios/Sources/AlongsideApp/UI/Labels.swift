import Alongside

// The protocol's enum values as people read them, from the core's words (android's ui/kit/Labels.kt).

/// The five GAS levels, -2..2, as words.
func gasLevel(_ level: Int64, _ w: Words) -> String {
    switch level {
    case -2: return w.labels.levelMuchLess
    case -1: return w.labels.levelLess
    case 0: return w.labels.levelExpected
    case 1: return w.labels.levelMore
    default: return w.labels.levelMuchMore
    }
}

func mood(_ level: Int64, _ w: Words) -> String {
    switch level {
    case 1: return w.labels.mood1
    case 2: return w.labels.mood2
    case 3: return w.labels.mood3
    case 4: return w.labels.mood4
    default: return w.labels.mood5
    }
}

/// The urgencies in the protocol's order.
let urgencies: [Urgency] = [.whenYouCan, .today, .urgent]

func label(_ urgency: Urgency, _ w: Words) -> String {
    switch urgency {
    case .whenYouCan: return w.labels.urgencyWhenYouCan
    case .today: return w.labels.urgencyToday
    case .urgent: return w.labels.urgencyUrgent
    }
}

/// Why the server did not take a change, in the person's language: by its code
/// where the code says it all, else with the server's own words.
func refusal(_ code: String?, _ reason: String?, _ w: Words) -> String {
    switch code {
    case "forbidden": return w.outbox.forbidden
    case "consent_withdrawn": return w.outbox.consentWithdrawn
    case "locked": return w.outbox.locked
    default: return w.outbox.other.replacingOccurrences(of: "{reason}", with: reason ?? "")
    }
}

/// The contact roles in the protocol's order.
let contactRoles: [ContactRole] = [.peerWorker, .sponsor, .counselor, .family, .friend, .medical, .childcare, .crisisLine, .other]

func label(_ role: ContactRole, _ w: Words) -> String {
    switch role {
    case .peerWorker: return w.labels.rolePeerWorker
    case .sponsor: return w.labels.roleSponsor
    case .counselor: return w.labels.roleCounselor
    case .family: return w.labels.roleFamily
    case .friend: return w.labels.roleFriend
    case .medical: return w.labels.roleMedical
    case .childcare: return w.labels.roleChildcare
    case .crisisLine: return w.labels.roleCrisisLine
    case .other: return w.labels.roleOther
    }
}

func label(_ collection: Alongside.Collection, _ w: Words) -> String {
    switch collection {
    case .profile: return w.labels.collectionProfile
    case .sharing: return w.labels.collectionSharing
    case .recoveryPeriods: return w.labels.collectionRecoveryPeriods
    case .goals: return w.labels.collectionGoals
    case .goalProgress: return w.labels.collectionGoalProgress
    case .milestones: return w.labels.collectionMilestones
    case .copingStrategies: return w.labels.collectionCopingStrategies
    case .copingUses: return w.labels.collectionCopingUses
    case .contacts: return w.labels.collectionContacts
    case .checkIns: return w.labels.collectionCheckIns
    case .safetyPlan: return w.labels.collectionSafetyPlan
    case .reachOuts: return w.labels.collectionReachOuts
    case .assessments: return w.labels.collectionAssessments
    case .messages: return w.labels.collectionMessages
    case .encounterNotes: return w.labels.collectionEncounterNotes
    }
}

func label(_ mode: EncounterMode, _ w: Words) -> String {
    switch mode {
    case .inPerson: return w.labels.modeInPerson
    case .phone: return w.labels.modePhone
    case .video: return w.labels.modeVideo
    case .text: return w.labels.modeText
    }
}

/// The goal areas in the protocol's order.
let goalAreas: [GoalArea] = [.recovery, .parenting, .health, .housing, .employment, .education, .legal, .relationships, .finances, .other]

func label(_ area: GoalArea, _ w: Words) -> String {
    switch area {
    case .recovery: return w.labels.areaRecovery
    case .parenting: return w.labels.areaParenting
    case .health: return w.labels.areaHealth
    case .housing: return w.labels.areaHousing
    case .employment: return w.labels.areaEmployment
    case .education: return w.labels.areaEducation
    case .legal: return w.labels.areaLegal
    case .relationships: return w.labels.areaRelationships
    case .finances: return w.labels.areaFinances
    case .other: return w.labels.areaOther
    }
}

func label(_ status: GoalStatus, _ w: Words) -> String {
    switch status {
    case .active: return w.labels.goalActive
    case .achieved: return w.labels.goalAchieved
    case .paused: return w.labels.goalPaused
    case .archived: return w.labels.goalArchived
    }
}

/// The coping categories in the protocol's order.
let copingCategories: [CopingCategory] = [.craving, .stress, .mood, .parenting, .sleep, .anger, .other]

func label(_ category: CopingCategory, _ w: Words) -> String {
    switch category {
    case .craving: return w.labels.categoryCraving
    case .stress: return w.labels.categoryStress
    case .mood: return w.labels.categoryMood
    case .parenting: return w.labels.categoryParenting
    case .sleep: return w.labels.categorySleep
    case .anger: return w.labels.categoryAnger
    case .other: return w.labels.categoryOther
    }
}

func label(_ source: StrategySource, _ w: Words) -> String {
    switch source {
    case .builtin: return w.labels.sourceBuiltin
    case .personal: return w.labels.sourcePersonal
    case .peer: return w.labels.sourcePeer
    }
}

/// The encounter modes and locations in the protocol's order.
let encounterModes: [EncounterMode] = [.inPerson, .phone, .video, .text]
let encounterLocations: [EncounterLocation] = [.home, .community, .office, .hospital, .court, .shelter, .other]

func label(_ location: EncounterLocation, _ w: Words) -> String {
    switch location {
    case .home: return w.labels.locationHome
    case .community: return w.labels.locationCommunity
    case .office: return w.labels.locationOffice
    case .hospital: return w.labels.locationHospital
    case .court: return w.labels.locationCourt
    case .shelter: return w.labels.locationShelter
    case .other: return w.labels.locationOther
    }
}

func label(_ service: ServiceType, _ w: Words) -> String {
    switch service {
    case .recoveryCoaching: return w.labels.serviceRecoveryCoaching
    case .resourceNavigation: return w.labels.serviceResourceNavigation
    case .crisisSupport: return w.labels.serviceCrisisSupport
    case .group: return w.labels.serviceGroup
    case .advocacy: return w.labels.serviceAdvocacy
    case .familySupport: return w.labels.serviceFamilySupport
    case .other: return w.labels.serviceOther
    }
}

/// A sharing category as the Sharing screen names it.
func label(_ category: Alongside.Category, _ w: Words) -> String {
    switch category {
    case .goals: return w.sharing.goals
    case .milestones: return w.sharing.milestones
    case .checkIns: return w.sharing.checkIns
    case .coping: return w.sharing.coping
    case .contacts: return w.sharing.contacts
    case .safetyPlan: return w.sharing.safetyPlan
    case .assessments: return w.sharing.assessments
    case .always: return w.sharing.intro
    }
}
