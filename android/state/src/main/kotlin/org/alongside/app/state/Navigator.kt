package org.alongside.app.state

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update

/** Every screen of the app, with what it needs to open. */
sealed interface Screen {
    // Anyone, before or after signing in.
    data object Crisis : Screen
    data object SignIn : Screen
    data object Register : Screen
    data object ResetPassword : Screen

    // A participant.
    data object SetUp : Screen
    data object Today : Screen
    data object StartAgain : Screen
    data object Goals : Screen
    data class Goal(val goalId: String) : Screen
    data class GoalForm(val goalId: String? = null) : Screen
    data object Toolbox : Screen
    data class Strategy(val strategyId: String) : Screen
    data object StrategyForm : Screen
    data object People : Screen
    data class ContactForm(val contactId: String? = null) : Screen
    data object ReachOut : Screen
    data object SafetyPlan : Screen
    data object Barc10 : Screen
    data object Sharing : Screen
    data object Reminders : Screen
    data object Export : Screen
    data object Notes : Screen
    data object More : Screen

    // Both.
    data class Conversation(val participantId: String) : Screen
    data object Outbox : Screen
    data object Devices : Screen
    data object Account : Screen

    // A peer worker.
    data object Caseload : Screen
    data class Participant(val participantId: String) : Screen
    data class Note(val participantId: String, val noteId: String? = null, val amends: String? = null) : Screen
    data object Invite : Screen
    data object MyContact : Screen
}

/** The back stack: what the person opened, newest last. */
class Navigator(start: Screen) {
    private val stack = MutableStateFlow(listOf(start))

    val screens: StateFlow<List<Screen>> = stack.asStateFlow()

    val current: Screen get() = stack.value.last()

    /** Opens [screen] on top. */
    fun go(screen: Screen) = stack.update { it + screen }

    /** Back one screen; false at the root (the platform then leaves the app). */
    fun back(): Boolean {
        if (stack.value.size <= 1) return false
        stack.update { it.dropLast(1) }
        return true
    }

    /** Starts over at [root] (a tab, or after signing in or out). */
    fun reset(root: Screen) = stack.update { listOf(root) }
}
