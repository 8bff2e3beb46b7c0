package org.alongside.app.ui

import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Build
import androidx.compose.material.icons.filled.Face
import androidx.compose.material.icons.filled.Home
import androidx.compose.material.icons.filled.Menu
import androidx.compose.material.icons.filled.Star
import androidx.compose.material3.Icon
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.key
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.text.style.TextOverflow
import kotlinx.coroutines.CoroutineScope
import org.alongside.app.data.Platform
import org.alongside.app.state.AppModel
import org.alongside.app.state.Screen
import org.alongside.app.ui.kit.AlongsideTheme
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.screens.AccountScreen
import org.alongside.app.ui.screens.Barc10Screen
import org.alongside.app.ui.screens.ResetPasswordScreen
import org.alongside.app.ui.screens.RemindersScreen
import org.alongside.app.ui.screens.MyContactScreen
import org.alongside.app.ui.screens.DevicesScreen
import org.alongside.app.ui.screens.CaseloadScreen
import org.alongside.app.ui.screens.ContactFormScreen
import org.alongside.app.ui.screens.ConversationScreen
import org.alongside.app.ui.screens.CrisisScreen
import org.alongside.app.ui.screens.ExportScreen
import org.alongside.app.ui.screens.GoalFormScreen
import org.alongside.app.ui.screens.GoalScreen
import org.alongside.app.ui.screens.GoalsScreen
import org.alongside.app.ui.screens.InviteScreen
import org.alongside.app.ui.screens.MoreScreen
import org.alongside.app.ui.screens.NoteScreen
import org.alongside.app.ui.screens.NotesScreen
import org.alongside.app.ui.screens.OutboxScreen
import org.alongside.app.ui.screens.ParticipantScreen
import org.alongside.app.ui.screens.PeopleScreen
import org.alongside.app.ui.screens.ReachOutScreen
import org.alongside.app.ui.screens.RegisterScreen
import org.alongside.app.ui.screens.SafetyPlanScreen
import org.alongside.app.ui.screens.SetUpScreen
import org.alongside.app.ui.screens.SharingScreen
import org.alongside.app.ui.screens.SignInScreen
import org.alongside.app.ui.screens.StartAgainScreen
import org.alongside.app.ui.screens.StrategyFormScreen
import org.alongside.app.ui.screens.StrategyScreen
import org.alongside.app.ui.screens.TodayScreen
import org.alongside.app.ui.screens.ToolboxScreen
import org.alongside.core.model.Language
import org.alongside.core.setLanguage
import org.alongside.core.words

/** The whole app: the screen on top of the back stack, in the phone's language. */
@Composable
fun AlongsideApp(app: AppModel) {
    val words by app.words.collectAsState()
    val screens by app.navigator.screens.collectAsState()
    AlongsideTheme(words) {
        // A new screen (or the same screen opened again) gets fresh state.
        key(screens.size, screens.last()) { ScreenOf(app, screens.last(), canGoBack = screens.size > 1) }
    }
}

/**
 * The app when its store could not be opened at all: the crisis lines, which
 * need no database, account or network, in the phone's language; and, when
 * the store is there but cannot be read (its key is gone, or the file is
 * damaged), [startOver], which removes it so a new one opens.
 */
@Composable
fun CrisisOnlyApp(platform: Platform, language: Language, startOver: (() -> Unit)? = null) {
    val words = remember(language) {
        setLanguage(language)
        words(language)
    }
    AlongsideTheme(words) { CrisisScreen(platform, onBack = null, startOver = startOver) }
}

/** What a screen needs from the app around it. */
class Nav(val app: AppModel, canGoBack: Boolean) {
    val back: (() -> Unit)? = if (canGoBack) ({ app.navigator.back() }) else null
    val crisis: () -> Unit = { app.navigator.go(Screen.Crisis) }
    fun go(screen: Screen) = app.navigator.go(screen)
}

/** A screen's state holder, made once for the screen and cancelled with it. */
@Composable
fun <M> rememberModel(create: (CoroutineScope) -> M): M {
    val scope = rememberCoroutineScope()
    return remember { create(scope) }
}

@Composable
private fun ScreenOf(app: AppModel, screen: Screen, canGoBack: Boolean) {
    val nav = Nav(app, canGoBack)
    when (screen) {
        Screen.Crisis -> CrisisScreen(app.platform, nav.back)
        Screen.SignIn -> SignInScreen(nav)
        Screen.Register -> RegisterScreen(nav)
        Screen.ResetPassword -> ResetPasswordScreen(nav)
        Screen.SetUp -> SetUpScreen(nav)
        Screen.Today -> TodayScreen(nav)
        Screen.StartAgain -> StartAgainScreen(nav)
        Screen.Goals -> GoalsScreen(nav)
        is Screen.Goal -> GoalScreen(nav, screen.goalId)
        is Screen.GoalForm -> GoalFormScreen(nav, screen.goalId)
        Screen.Toolbox -> ToolboxScreen(nav)
        is Screen.Strategy -> StrategyScreen(nav, screen.strategyId)
        Screen.StrategyForm -> StrategyFormScreen(nav)
        Screen.People -> PeopleScreen(nav)
        is Screen.ContactForm -> ContactFormScreen(nav, screen.contactId)
        Screen.ReachOut -> ReachOutScreen(nav)
        Screen.SafetyPlan -> SafetyPlanScreen(nav)
        Screen.Barc10 -> Barc10Screen(nav)
        Screen.Sharing -> SharingScreen(nav)
        Screen.Reminders -> RemindersScreen(nav)
        Screen.MyContact -> MyContactScreen(nav)
        Screen.Devices -> DevicesScreen(nav)
        Screen.Account -> AccountScreen(nav)
        Screen.Export -> ExportScreen(nav)
        Screen.Notes -> NotesScreen(nav)
        Screen.More -> MoreScreen(nav)
        is Screen.Conversation -> ConversationScreen(nav, screen.participantId)
        Screen.Outbox -> OutboxScreen(nav)
        Screen.Caseload -> CaseloadScreen(nav)
        is Screen.Participant -> ParticipantScreen(nav, screen.participantId)
        is Screen.Note -> NoteScreen(nav, screen.participantId, screen.noteId, screen.amends)
        Screen.Invite -> InviteScreen(nav)
    }
}

/** The participant's tabs. */
private enum class Tab(val screen: Screen, val icon: ImageVector) {
    TODAY(Screen.Today, Icons.Filled.Home),
    GOALS(Screen.Goals, Icons.Filled.Star),
    TOOLBOX(Screen.Toolbox, Icons.Filled.Build),
    PEOPLE(Screen.People, Icons.Filled.Face),
    MORE(Screen.More, Icons.Filled.Menu),
}

/** The participant's bottom navigation, [current] highlighted. */
@Composable
fun ParticipantTabs(nav: Nav, current: Screen) {
    val common = LocalWords.current.common
    NavigationBar {
        Tab.entries.forEach { tab ->
            val label = when (tab) {
                Tab.TODAY -> common.navToday
                Tab.GOALS -> common.navGoals
                Tab.TOOLBOX -> common.navToolbox
                Tab.PEOPLE -> common.navPeople
                Tab.MORE -> common.navMore
            }
            NavigationBarItem(
                selected = tab.screen == current,
                onClick = { nav.app.navigator.reset(tab.screen) },
                icon = { Icon(tab.icon, contentDescription = null) },
                label = { Text(label, maxLines = 1, overflow = TextOverflow.Ellipsis) },
            )
        }
    }
}
