package org.alongside.app.data

/**
 * What only the platform can do, handed in by the Android app (intents, the
 * share sheet) or the desktop build (a file chooser-free folder, a log).
 */
interface Platform {
    /** Opens the phone's dialer on [number] (`tel:`). */
    fun call(number: String)

    /** Opens a text message to [number] (`sms:`), with [body] typed in. */
    fun text(number: String, body: String? = null)

    /** Saves the person's exported data; returns where it went, to tell them. */
    fun export(fileName: String, json: String): String
}
