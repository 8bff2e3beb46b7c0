package org.alongside.app.ui.kit

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.selection.toggleable
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Check
import androidx.compose.material3.FilterChip
import androidx.compose.material3.FilterChipDefaults
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Surface
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.error
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.text.input.VisualTransformation
import androidx.compose.ui.unit.dp
import org.alongside.app.data.Problem
import org.alongside.app.data.reasonFor

/** A section's title, read as a heading by screen readers. */
@Composable
fun SectionTitle(text: String) {
    Text(text, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(top = 8.dp).semantics { heading() })
}

/** Plain text that explains. */
@Composable
fun Body(text: String, modifier: Modifier = Modifier) {
    Text(text, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant, modifier = modifier)
}

/** How a text field takes input. */
enum class Input { TEXT, NUMBER, PASSWORD, MULTILINE }

/**
 * A labelled text field. [field] is the protocol's name of what it edits:
 * a [problem] about that field shows its reason under it.
 */
@Composable
fun Field(
    label: String,
    value: String,
    onChange: (String) -> Unit,
    field: String,
    problem: Problem?,
    input: Input = Input.TEXT,
    hint: String? = null,
) {
    val reason = problem.reasonFor(field)
    OutlinedTextField(
        value = value,
        onValueChange = { typed -> onChange(if (input == Input.NUMBER) typed.filter(Char::isDigit) else typed) },
        label = { Text(label) },
        placeholder = hint?.let { { Text(it) } },
        isError = reason != null,
        supportingText = reason?.let { { Text(it) } },
        singleLine = input != Input.MULTILINE,
        minLines = if (input == Input.MULTILINE) 3 else 1,
        visualTransformation = if (input == Input.PASSWORD) PasswordVisualTransformation() else VisualTransformation.None,
        keyboardOptions = KeyboardOptions(
            keyboardType = when (input) {
                Input.NUMBER -> KeyboardType.Number
                Input.PASSWORD -> KeyboardType.Password
                else -> KeyboardType.Text
            },
        ),
        modifier = Modifier.fillMaxWidth().let { if (reason != null) it.semantics { error(reason) } else it },
    )
}

/** One choice among a few, as chips: each speaks its own label. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun <T> Choices(options: List<T>, selected: T?, label: (T) -> String, onSelect: (T) -> Unit) {
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        options.forEach { option ->
            FilterChip(selected = option == selected, onClick = { onSelect(option) }, label = { Text(label(option)) }, leadingIcon = chosenMark(option == selected))
        }
    }
}

/** A check on a chosen chip: chosen is said by shape, not by colour alone. */
private fun chosenMark(chosen: Boolean): (@Composable () -> Unit)? =
    if (chosen) ({ Icon(Icons.Filled.Check, contentDescription = null, modifier = Modifier.size(FilterChipDefaults.IconSize)) }) else null

/** Several choices, as chips. */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun <T> ManyChoices(options: List<T>, selected: Set<T>, label: (T) -> String, onToggle: (T) -> Unit) {
    FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        options.forEach { option ->
            FilterChip(selected = option in selected, onClick = { onToggle(option) }, label = { Text(label(option)) }, leadingIcon = chosenMark(option in selected))
        }
    }
}

/** A labelled on/off switch; the whole row is the target, and speaks as one switch. */
@Composable
fun Toggle(label: String, checked: Boolean, onChange: (Boolean) -> Unit) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = 48.dp).toggleable(value = checked, role = Role.Switch, onValueChange = onChange),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Text(label, style = MaterialTheme.typography.bodyLarge, modifier = Modifier.weight(1f))
        Switch(checked = checked, onCheckedChange = null)
    }
}

/** The screen's one main action, full width. */
@Composable
fun MainButton(text: String, onClick: () -> Unit, enabled: Boolean = true) {
    Button(onClick = onClick, enabled = enabled, modifier = Modifier.fillMaxWidth().heightIn(min = 52.dp)) {
        Text(text, style = MaterialTheme.typography.titleMedium)
    }
}

/** A card around one group of things. */
@Composable
fun Panel(modifier: Modifier = Modifier, content: @Composable () -> Unit) {
    Card(
        modifier = modifier.fillMaxWidth(),
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.surfaceContainerLow),
    ) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) { content() }
    }
}

/** A calm note on a tinted band: a confirmation or a gentle explanation. */
@Composable
fun Note(text: String) {
    Surface(color = MaterialTheme.colorScheme.secondaryContainer, shape = MaterialTheme.shapes.medium, modifier = Modifier.fillMaxWidth()) {
        Text(text, style = MaterialTheme.typography.bodyMedium, modifier = Modifier.padding(12.dp))
    }
}

/**
 * A problem the form's fields do not show (a field in [shown] shows its
 * own reason), said kindly, in amber rather than red.
 */
@Composable
fun ProblemNote(problem: Problem?, shown: Set<String> = emptySet()) {
    val words = LocalWords.current
    val text = when (problem) {
        null -> null
        is Problem.Field -> problem.reason.takeIf { problem.field !in shown }
        Problem.Offline -> words.common.errorOffline
        Problem.SignedOut -> words.common.errorSignedOut
        Problem.WrongCredentials -> words.signIn.wrongCredentials
        Problem.TooManyTries -> words.signIn.tooManyTries
        is Problem.Refused -> if (problem.code == "locked") words.note.locked else refusal(problem.code, problem.reason, words)
        is Problem.Other -> words.common.errorOther
    } ?: return
    Surface(color = MaterialTheme.colorScheme.errorContainer, shape = MaterialTheme.shapes.medium, modifier = Modifier.fillMaxWidth()) {
        Text(text, color = MaterialTheme.colorScheme.onErrorContainer, modifier = Modifier.padding(12.dp))
    }
}

/** One choice among a few, as full rows with a radio button: room for a line of detail each. */
@Composable
fun <T> RadioRows(options: List<T>, selected: T?, title: (T) -> String, detail: (T) -> String?, onSelect: (T) -> Unit) {
    Column(Modifier.selectableGroup()) {
        options.forEach { option ->
            Row(
                Modifier.fillMaxWidth().heightIn(min = 56.dp)
                    .selectable(selected = option == selected, role = Role.RadioButton, onClick = { onSelect(option) })
                    .padding(vertical = 4.dp),
                verticalAlignment = Alignment.CenterVertically,
            ) {
                RadioButton(selected = option == selected, onClick = null)
                Column(Modifier.padding(start = 12.dp)) {
                    Text(title(option), style = MaterialTheme.typography.bodyLarge)
                    detail(option)?.let { Text(it, style = MaterialTheme.typography.bodyMedium, color = MaterialTheme.colorScheme.onSurfaceVariant) }
                }
            }
        }
    }
}

/** A quiet way elsewhere, as a link: full width, 48 dp tall. */
@Composable
fun LinkButton(text: String, onClick: () -> Unit) {
    TextButton(onClick = onClick, modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)) {
        Text(text, style = MaterialTheme.typography.titleSmall)
    }
}
