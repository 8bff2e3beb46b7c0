package org.alongside.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.material3.Button
import androidx.compose.material3.ButtonDefaults
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import org.alongside.app.data.Platform
import org.alongside.app.data.fill
import org.alongside.app.ui.kit.Body
import org.alongside.app.ui.kit.CrisisRed
import org.alongside.app.ui.kit.LocalWords
import org.alongside.app.ui.kit.Panel
import org.alongside.core.CrisisContact
import org.alongside.core.CrisisResource
import org.alongside.core.model.CrisisChannel

/**
 * The crisis lines: from every screen, before sign-in, with no network and no
 * database (the lines are built into the library).
 */
@Composable
fun CrisisLines(lines: List<CrisisResource>, platform: Platform) {
    val words = LocalWords.current
    Body(words.crisis.intro)
    lines.forEach { line ->
        Panel {
            Text(line.name, style = MaterialTheme.typography.titleMedium)
            Body(line.description)
            Body(line.available)
            Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
                line.contacts.forEachIndexed { i, contact -> CrisisAction(contact, primary = i == 0, platform) }
            }
        }
    }
}

@Composable
private fun CrisisAction(contact: CrisisContact, primary: Boolean, platform: Platform) {
    val crisis = LocalWords.current.crisis
    val label = when (contact.channel) {
        CrisisChannel.CALL -> crisis.call.fill("number" to readable(contact.number))
        CrisisChannel.TEXT -> contact.textBody?.let { word -> crisis.textWord.fill("word" to word, "number" to contact.number) }
            ?: crisis.text.fill("number" to contact.number)
        CrisisChannel.TTY -> crisis.tty.fill("number" to readable(contact.number))
    }
    val act = {
        when (contact.channel) {
            CrisisChannel.TEXT -> platform.text(contact.number, contact.textBody)
            else -> platform.call(contact.number)
        }
    }
    val modifier = Modifier.fillMaxWidth().heightIn(min = 48.dp)
    if (primary) {
        Button(onClick = act, modifier = modifier, colors = ButtonDefaults.buttonColors(containerColor = CrisisRed)) { Text(label) }
    } else {
        OutlinedButton(onClick = act, modifier = modifier) { Text(label) }
    }
}

/** 18006624357 as 1-800-662-4357; short numbers as they are. */
private fun readable(number: String): String =
    if (number.length == 11 && number.startsWith("1")) "1-${number.substring(1, 4)}-${number.substring(4, 7)}-${number.substring(7)}" else number
