package org.alongside.app.ui.kit

import org.alongside.core.model.Category
import org.alongside.core.model.Collection
import org.alongside.core.model.ContactRole
import org.alongside.core.model.CopingCategory
import org.alongside.core.model.EncounterLocation
import org.alongside.core.model.EncounterMode
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.model.ServiceType
import org.alongside.core.model.StrategySource
import org.alongside.core.model.Urgency
import org.alongside.core.model.Words

/* The protocol's enum values as people read them, from the core's words. */

fun GoalArea.label(w: Words): String = with(w.labels) {
    when (this@label) {
        GoalArea.RECOVERY -> areaRecovery
        GoalArea.PARENTING -> areaParenting
        GoalArea.HEALTH -> areaHealth
        GoalArea.HOUSING -> areaHousing
        GoalArea.EMPLOYMENT -> areaEmployment
        GoalArea.EDUCATION -> areaEducation
        GoalArea.LEGAL -> areaLegal
        GoalArea.RELATIONSHIPS -> areaRelationships
        GoalArea.FINANCES -> areaFinances
        GoalArea.OTHER -> areaOther
    }
}

fun GoalStatus.label(w: Words): String = with(w.labels) {
    when (this@label) {
        GoalStatus.ACTIVE -> goalActive
        GoalStatus.ACHIEVED -> goalAchieved
        GoalStatus.PAUSED -> goalPaused
        GoalStatus.ARCHIVED -> goalArchived
    }
}

/** The five GAS levels, -2..2, as words. */
fun gasLevel(level: Long, w: Words): String = with(w.labels) {
    when (level) {
        -2L -> levelMuchLess
        -1L -> levelLess
        0L -> levelExpected
        1L -> levelMore
        else -> levelMuchMore
    }
}

fun mood(level: Long, w: Words): String = with(w.labels) {
    when (level) {
        1L -> mood1
        2L -> mood2
        3L -> mood3
        4L -> mood4
        else -> mood5
    }
}

fun CopingCategory.label(w: Words): String = with(w.labels) {
    when (this@label) {
        CopingCategory.CRAVING -> categoryCraving
        CopingCategory.STRESS -> categoryStress
        CopingCategory.MOOD -> categoryMood
        CopingCategory.PARENTING -> categoryParenting
        CopingCategory.SLEEP -> categorySleep
        CopingCategory.ANGER -> categoryAnger
        CopingCategory.OTHER -> categoryOther
    }
}

fun StrategySource.label(w: Words): String = with(w.labels) {
    when (this@label) {
        StrategySource.BUILTIN -> sourceBuiltin
        StrategySource.PERSONAL -> sourcePersonal
        StrategySource.PEER -> sourcePeer
    }
}

fun ContactRole.label(w: Words): String = with(w.labels) {
    when (this@label) {
        ContactRole.PEER_WORKER -> rolePeerWorker
        ContactRole.SPONSOR -> roleSponsor
        ContactRole.COUNSELOR -> roleCounselor
        ContactRole.FAMILY -> roleFamily
        ContactRole.FRIEND -> roleFriend
        ContactRole.MEDICAL -> roleMedical
        ContactRole.CHILDCARE -> roleChildcare
        ContactRole.CRISIS_LINE -> roleCrisisLine
        ContactRole.OTHER -> roleOther
    }
}

fun Urgency.label(w: Words): String = with(w.labels) {
    when (this@label) {
        Urgency.WHEN_YOU_CAN -> urgencyWhenYouCan
        Urgency.TODAY -> urgencyToday
        Urgency.URGENT -> urgencyUrgent
    }
}

fun EncounterMode.label(w: Words): String = with(w.labels) {
    when (this@label) {
        EncounterMode.IN_PERSON -> modeInPerson
        EncounterMode.PHONE -> modePhone
        EncounterMode.VIDEO -> modeVideo
        EncounterMode.TEXT -> modeText
    }
}

fun EncounterLocation.label(w: Words): String = with(w.labels) {
    when (this@label) {
        EncounterLocation.HOME -> locationHome
        EncounterLocation.COMMUNITY -> locationCommunity
        EncounterLocation.OFFICE -> locationOffice
        EncounterLocation.HOSPITAL -> locationHospital
        EncounterLocation.COURT -> locationCourt
        EncounterLocation.SHELTER -> locationShelter
        EncounterLocation.OTHER -> locationOther
    }
}

fun ServiceType.label(w: Words): String = with(w.labels) {
    when (this@label) {
        ServiceType.RECOVERY_COACHING -> serviceRecoveryCoaching
        ServiceType.RESOURCE_NAVIGATION -> serviceResourceNavigation
        ServiceType.CRISIS_SUPPORT -> serviceCrisisSupport
        ServiceType.GROUP -> serviceGroup
        ServiceType.ADVOCACY -> serviceAdvocacy
        ServiceType.FAMILY_SUPPORT -> serviceFamilySupport
        ServiceType.OTHER -> serviceOther
    }
}

/** What a change was about, for the list of changes not sent. */
fun Collection.label(w: Words): String = with(w.labels) {
    when (this@label) {
        Collection.PROFILE -> collectionProfile
        Collection.SHARING -> collectionSharing
        Collection.RECOVERY_PERIODS -> collectionRecoveryPeriods
        Collection.GOALS -> collectionGoals
        Collection.GOAL_PROGRESS -> collectionGoalProgress
        Collection.MILESTONES -> collectionMilestones
        Collection.COPING_STRATEGIES -> collectionCopingStrategies
        Collection.COPING_USES -> collectionCopingUses
        Collection.CONTACTS -> collectionContacts
        Collection.CHECK_INS -> collectionCheckIns
        Collection.SAFETY_PLAN -> collectionSafetyPlan
        Collection.REACH_OUTS -> collectionReachOuts
        Collection.ASSESSMENTS -> collectionAssessments
        Collection.MESSAGES -> collectionMessages
        Collection.ENCOUNTER_NOTES -> collectionEncounterNotes
    }
}

/** A sharing category as the Sharing screen names it. */
fun Category.label(w: Words): String = with(w.sharing) {
    when (this@label) {
        Category.GOALS -> goals
        Category.MILESTONES -> milestones
        Category.CHECK_INS -> checkIns
        Category.COPING -> coping
        Category.CONTACTS -> contacts
        Category.SAFETY_PLAN -> safetyPlan
        Category.ASSESSMENTS -> assessments
        Category.ALWAYS -> intro
    }
}

/**
 * Why the server did not take a change, in the person's language: by its
 * code where the code says it all, else with the server's own words.
 */
fun refusal(code: String?, reason: String?, w: Words): String = with(w.outbox) {
    when (code) {
        "forbidden" -> forbidden
        "consent_withdrawn" -> consentWithdrawn
        "locked" -> locked
        else -> other.replace("{reason}", reason.orEmpty())
    }
}
