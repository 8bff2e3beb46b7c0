package org.alongside.app.ui.kit

import androidx.compose.material3.LocalMinimumInteractiveComponentSize
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.unit.dp
import org.alongside.core.model.Words

/** Calm greens and warm paper; no red anywhere but crisis (../shared/APP.md). */
private val colors = lightColorScheme(
    primary = Color(0xFF2F6F6A),
    onPrimary = Color.White,
    primaryContainer = Color(0xFFCDE8E3),
    onPrimaryContainer = Color(0xFF0F3B37),
    secondary = Color(0xFF5D6B5A),
    onSecondary = Color.White,
    secondaryContainer = Color(0xFFE1EADB),
    onSecondaryContainer = Color(0xFF1D2A1B),
    tertiary = Color(0xFF7A5C2E),
    tertiaryContainer = Color(0xFFF6E3C4),
    onTertiaryContainer = Color(0xFF3A2A0C),
    background = Color(0xFFFBF8F3),
    onBackground = Color(0xFF1F1F1C),
    surface = Color(0xFFFBF8F3),
    onSurface = Color(0xFF1F1F1C),
    surfaceVariant = Color(0xFFEFE9E1),
    onSurfaceVariant = Color(0xFF4A4740),
    surfaceContainer = Color(0xFFF4EFE8),
    surfaceContainerLow = Color(0xFFF8F4EE),
    surfaceContainerHigh = Color(0xFFEFE9E1),
    outline = Color(0xFF7C776E),
    // Problems with a form are amber, not red: red means crisis.
    error = Color(0xFF8A5300),
    onError = Color.White,
    errorContainer = Color(0xFFFBE6C6),
    onErrorContainer = Color(0xFF3D2600),
)

/** The crisis colour: the crisis button and lines, and nothing else. */
val CrisisRed = Color(0xFFB3261E)

/** The words of every screen, in the phone's language. */
val LocalWords = staticCompositionLocalOf<Words> { error("no words provided: wrap the screens in AlongsideTheme") }

@Composable
fun AlongsideTheme(words: Words, content: @Composable () -> Unit) {
    // 48 dp targets on every platform: the desktop build would default to none.
    CompositionLocalProvider(LocalWords provides words, LocalMinimumInteractiveComponentSize provides 48.dp) {
        MaterialTheme(colorScheme = colors, content = content)
    }
}
