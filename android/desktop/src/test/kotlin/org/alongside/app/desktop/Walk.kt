package org.alongside.app.desktop

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.key
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.platform.LocalDensity
import androidx.compose.ui.semantics.SemanticsNode
import androidx.compose.ui.semantics.SemanticsProperties
import androidx.compose.ui.semantics.getOrNull
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.ExperimentalTestApi
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.unit.Density
import org.alongside.app.state.Screen
import org.alongside.app.ui.AlongsideApp
import org.alongside.core.model.Words

/** One screen of the walk: whose phone, which screen, its picture's name, and its main action's words. */
class Stop(val phone: Phone, val screen: Screen, val name: String, val mainAction: (Words) -> String?)

/** Every screen of the app over [scenario], participant's then peer worker's, with [fresh] (signed out) for sign-in. */
fun stops(scenario: Scenario, fresh: Phone): List<Stop> {
    val rosa = scenario.rosa
    val maria = scenario.maria
    return listOf(
        Stop(fresh, Screen.Crisis, "crisis") { null },
        Stop(fresh, Screen.SignIn, "sign-in") { it.signIn.signIn },
        Stop(fresh, Screen.Register, "register") { it.signIn.createAccount },
        Stop(fresh, Screen.ResetPassword, "reset-password") { it.signIn.reset },
        Stop(rosa, Screen.SetUp, "set-up") { it.setUp.start },
        Stop(rosa, Screen.Today, "today") { it.today.needToTalk },
        Stop(rosa, Screen.Goals, "goals") { it.goals.add },
        Stop(rosa, Screen.Goal(scenario.goalIds[0]), "goal") { it.goals.record },
        Stop(rosa, Screen.GoalForm(), "goal-new") { it.common.save },
        Stop(rosa, Screen.Toolbox, "toolbox") { it.toolbox.addOwn },
        Stop(rosa, Screen.Strategy(scenario.favoriteStrategyId), "strategy") { it.toolbox.logUse },
        Stop(rosa, Screen.StrategyForm, "strategy-new") { it.common.save },
        Stop(rosa, Screen.People, "people") { it.people.add },
        Stop(rosa, Screen.ContactForm(), "contact-new") { it.common.save },
        Stop(rosa, Screen.ReachOut, "reach-out") { it.reachOut.send },
        Stop(rosa, Screen.Conversation(scenario.rosaId), "messages") { it.messages.send },
        Stop(rosa, Screen.SafetyPlan, "safety-plan") { it.common.save },
        Stop(rosa, Screen.Barc10, "barc10") { it.barc10.save },
        Stop(rosa, Screen.Sharing, "sharing") { it.sharing.save },
        Stop(rosa, Screen.Reminders, "reminders") { it.common.save },
        Stop(rosa, Screen.Devices, "devices") { null },
        Stop(rosa, Screen.Account, "account") { null },
        Stop(rosa, Screen.Notes, "notes") { null },
        Stop(rosa, Screen.StartAgain, "start-again") { it.common.save },
        Stop(rosa, Screen.Export, "export") { it.export.export },
        Stop(rosa, Screen.Outbox, "outbox") { null },
        Stop(rosa, Screen.More, "more") { null },
        Stop(maria, Screen.Caseload, "caseload") { it.caseload.invite },
        Stop(maria, Screen.Participant(scenario.rosaId), "participant") { it.participant.newNote },
        Stop(maria, Screen.Note(scenario.rosaId), "note-new") { it.note.submit },
        Stop(maria, Screen.Note(scenario.rosaId, noteId = scenario.noteId), "note-submitted") { it.note.amend },
        Stop(maria, Screen.Invite, "invite") { it.invite.makeCode },
        Stop(maria, Screen.MyContact, "my-contact") { it.common.save },
        Stop(maria, Screen.Account, "peer-account") { null },
        Stop(maria, Screen.Conversation(scenario.rosaId), "peer-messages") { it.messages.send },
    )
}

/** The stage each running test shows, for [settle]. */
@OptIn(ExperimentalTestApi::class)
private val stages = java.util.Collections.synchronizedMap(java.util.WeakHashMap<ComposeUiTest, Stage>())

/** Which phone's app is on screen. */
class Stage(first: Phone) {
    var phone by mutableStateOf(first)
}

/** The app of the stage's phone at [fontScale], as the tests and pictures show it. */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.showApp(stage: Stage, fontScale: Float = 1f, density: Float = 1f) {
    stages[this] = stage
    setContent {
        Scaled(fontScale, density) { key(stage.phone) { AlongsideApp(stage.phone.app) } }
    }
}

@Composable
private fun Scaled(fontScale: Float, density: Float, content: @Composable () -> Unit) {
    CompositionLocalProvider(LocalDensity provides Density(density, fontScale), content = content)
}

/**
 * Waits until the screen has what it reads from the core: the phone on
 * screen has no local call running and the semantics tree stops changing
 * (reads run off the UI thread, so Compose's idleness alone does not say
 * they finished).
 */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.settle(timeoutMs: Long = 10_000) {
    val deadline = System.nanoTime() + timeoutMs * 1_000_000
    var last = ""
    var stable = 0
    while (System.nanoTime() < deadline) {
        waitForIdle()
        val reading = stages[this]?.phone?.alongside?.isIdle == false
        val now = texts().joinToString("\u0000")
        stable = if (now == last && now.isNotEmpty() && !reading) stable + 1 else 0
        if (stable >= 3) return
        last = now
        Thread.sleep(60)
    }
}

/** Every text a person can read or hear on screen: text, field contents and spoken labels. */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.texts(): List<String> = allNodes().flatMap { node ->
    val config = node.config
    config.getOrNull(SemanticsProperties.Text).orEmpty().map { it.text } +
        listOfNotNull(config.getOrNull(SemanticsProperties.EditableText)?.text) +
        config.getOrNull(SemanticsProperties.ContentDescription).orEmpty()
}.filter { it.isNotBlank() }

/** Every node of the screen, unmerged. */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.allNodes(): List<SemanticsNode> {
    val root = onRoot(useUnmergedTree = true).fetchSemanticsNode()
    return generateSequence(listOf(root)) { level -> level.flatMap { it.children }.takeIf { it.isNotEmpty() } }.flatten().toList()
}

/** Opens [stop]'s screen on its phone and waits for it. */
@OptIn(ExperimentalTestApi::class)
fun ComposeUiTest.open(stage: Stage, stop: Stop) {
    runOnIdle {
        stage.phone = stop.phone
        stop.phone.app.navigator.reset(stop.screen)
    }
    settle()
}
