package org.alongside.app.data

import org.alongside.core.model.Reminder

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

    /**
     * Makes [reminders] (the core's, each with a stable id) the phone's whole
     * set of scheduled local notifications: new ones are added, changed ones
     * replaced, and any scheduled before that is not in the list cancelled.
     */
    fun schedule(reminders: List<Reminder>)

    /**
     * This phone was signed out and cleared (a lost phone): the core has
     * deleted everything the database held. Make a new database key, have
     * [rekey] re-encrypt the (empty) database with it, then keep it and
     * destroy the old one, so no key to anything the phone held remains.
     */
    fun replaceDatabaseKey(rekey: (ByteArray) -> Unit)
}
