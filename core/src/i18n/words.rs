//! The screens' words, English and Spanish side by side. Each group is one
//! record (a screen, or the labels of the protocol's enums); the macro makes
//! a missing translation a compile error.

use serde::Serialize;

use super::Language;

/// Declares word groups: each field is `name: "English" | "Spanish"`.
macro_rules! words {
    ($(
        $(#[$meta:meta])*
        $group:ident {
            $( $(#[$field_meta:meta])* $field:ident: $en:literal | $es:literal, )+
        }
    )+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
        pub struct $group {
            $( $(#[$field_meta])* pub $field: String, )+
        }

        impl $group {
            pub fn new(language: Language) -> Self {
                match language {
                    Language::English => $group { $( $field: $en.to_owned(), )+ },
                    Language::Spanish => $group { $( $field: $es.to_owned(), )+ },
                }
            }
        }
    )+};
}

/// Every word the screens show, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Words {
    pub language: Language,
    pub common: CommonWords,
    pub crisis: CrisisWords,
    pub sign_in: SignInWords,
    pub set_up: SetUpWords,
    pub today: TodayWords,
    pub goals: GoalsWords,
    pub toolbox: ToolboxWords,
    pub people: PeopleWords,
    pub reach_out: ReachOutWords,
    pub messages: MessagesWords,
    pub safety_plan: SafetyPlanWords,
    pub barc10: Barc10Words,
    pub sharing: SharingWords,
    pub export: ExportWords,
    pub outbox: OutboxWords,
    pub conflicts: ConflictWords,
    pub caseload: CaseloadWords,
    pub participant: ParticipantWords,
    pub note: NoteWords,
    pub invite: InviteWords,
    pub labels: LabelWords,
    pub milestones: MilestoneWords,
    pub reminders: ReminderWords,
    pub news: NewsWords,
    pub my_contact: MyContactWords,
    pub devices: DevicesWords,
    pub account: AccountWords,
    pub reasons: ReasonWords,
}

/// The words of every screen in `language`.
pub fn words(language: Language) -> Words {
    Words {
        language,
        common: CommonWords::new(language),
        crisis: CrisisWords::new(language),
        sign_in: SignInWords::new(language),
        set_up: SetUpWords::new(language),
        today: TodayWords::new(language),
        goals: GoalsWords::new(language),
        toolbox: ToolboxWords::new(language),
        people: PeopleWords::new(language),
        reach_out: ReachOutWords::new(language),
        messages: MessagesWords::new(language),
        safety_plan: SafetyPlanWords::new(language),
        barc10: Barc10Words::new(language),
        sharing: SharingWords::new(language),
        export: ExportWords::new(language),
        outbox: OutboxWords::new(language),
        conflicts: ConflictWords::new(language),
        caseload: CaseloadWords::new(language),
        participant: ParticipantWords::new(language),
        note: NoteWords::new(language),
        invite: InviteWords::new(language),
        labels: LabelWords::new(language),
        milestones: MilestoneWords::new(language),
        reminders: ReminderWords::new(language),
        news: NewsWords::new(language),
        my_contact: MyContactWords::new(language),
        devices: DevicesWords::new(language),
        account: AccountWords::new(language),
        reasons: ReasonWords::new(language),
    }
}

words! {
    /// Words on every screen: navigation, the sync line, times.
    CommonWords {
        app_name: "Alongside" | "Alongside",
        /// The crisis button in every top bar.
        get_help: "Get help now" | "Ayuda ahora",
        back: "Back" | "Atrás",
        save: "Save" | "Guardar",
        cancel: "Cancel" | "Cancelar",
        close: "Close" | "Cerrar",
        add: "Add" | "Agregar",
        edit: "Edit" | "Editar",
        remove: "Remove" | "Quitar",
        saved: "Saved." | "Guardado.",
        optional: "optional" | "opcional",
        date_hint: "YYYY-MM-DD" | "AAAA-MM-DD",
        nav_today: "Today" | "Hoy",
        nav_goals: "Goals" | "Metas",
        nav_toolbox: "Toolbox" | "Recursos",
        nav_people: "People" | "Personas",
        nav_more: "More" | "Más",
        more_title: "More" | "Más",
        sign_out: "Sign out" | "Cerrar sesión",
        signed_in_as: "Signed in as {name}" | "Sesión iniciada como {name}",
        sync_saved: "Everything is saved on this phone." | "Todo está guardado en este teléfono.",
        sync_pending: "{n} change will be sent when there is signal.|{n} changes will be sent when there is signal." | "{n} cambio se enviará cuando haya señal.|{n} cambios se enviarán cuando haya señal.",
        sync_last: "Last synced {when}." | "Última sincronización: {when}.",
        sync_never: "Not synced yet." | "Todavía no se ha sincronizado.",
        sync_running: "Syncing…" | "Sincronizando…",
        sync_refused: "{n} change was not accepted. Tap to see why.|{n} changes were not accepted. Tap to see why." | "{n} cambio no fue aceptado. Toca para ver por qué.|{n} cambios no fueron aceptados. Toca para ver por qué.",
        sync_signed_out: "Sign in again to send your changes. They are kept on this phone." | "Inicia sesión de nuevo para enviar tus cambios. Se guardan en este teléfono.",
        sync_now: "Sync now" | "Sincronizar ahora",
        just_now: "just now" | "hace un momento",
        minutes_ago: "{n} min ago|{n} min ago" | "hace {n} min|hace {n} min",
        hours_ago: "{n} hour ago|{n} hours ago" | "hace {n} hora|hace {n} horas",
        days_ago: "{n} day ago|{n} days ago" | "hace {n} día|hace {n} días",
        error_offline: "There's no connection right now. Try again when you have signal." | "No hay conexión en este momento. Inténtalo de nuevo cuando tengas señal.",
        error_other: "That didn't work this time. What you typed is still here; please try again." | "Esta vez no funcionó. Lo que escribiste sigue aquí; inténtalo de nuevo.",
        error_signed_out: "Please sign in again." | "Por favor, inicia sesión de nuevo.",
        loading: "Loading…" | "Cargando…",
    }

    /// The crisis lines screen, reachable from everywhere.
    CrisisWords {
        title: "Help right now" | "Ayuda ahora mismo",
        intro: "You don't have to go through this alone. These lines are free, open day and night, and work without the app." | "No tienes que pasar por esto a solas. Estas líneas son gratuitas, atienden de día y de noche, y funcionan sin la aplicación.",
        call: "Call {number}" | "Llamar al {number}",
        text: "Text {number}" | "Enviar un texto al {number}",
        text_word: "Text {word} to {number}" | "Enviar {word} al {number}",
        tty: "TTY {number}" | "TTY (para personas sordas) {number}",
        /// When the app cannot read its own store (a lost key, a damaged file): shown above the lines.
        unopened: "Alongside can't read what it kept on this phone. The lines below still work." | "Alongside no puede leer lo que guardó en este teléfono. Las líneas de abajo siguen funcionando.",
        start_over: "Start over on this phone" | "Empezar de nuevo en este teléfono",
        start_over_body: "This removes what Alongside kept on this phone. What already reached your program comes back when you sign in again; anything not sent yet can't be brought back." | "Esto borra lo que Alongside guardó en este teléfono. Lo que ya llegó a tu programa vuelve cuando inicies sesión de nuevo; lo que aún no se envió no se puede recuperar.",
        start_over_confirm: "Remove it and start over" | "Borrarlo y empezar de nuevo",
    }

    /// Signing in, and creating an account with an invite code.
    SignInWords {
        welcome: "Welcome to Alongside" | "Te damos la bienvenida a Alongside",
        welcome_body: "Your recovery, at your pace. What you add stays on this phone, and is shared only if you choose." | "Tu recuperación, a tu ritmo. Lo que agregues se queda en este teléfono y solo se comparte si tú lo decides.",
        username: "Username" | "Nombre de usuario",
        password: "Password" | "Contraseña",
        sign_in: "Sign in" | "Iniciar sesión",
        have_code: "I have a code from my peer worker" | "Tengo un código de mi especialista de apoyo",
        register_title: "Create your account" | "Crea tu cuenta",
        register_body: "Your peer worker read you a code. It works once." | "Tu especialista de apoyo te leyó un código. Funciona una sola vez.",
        invite_code: "Code from your peer worker" | "Código de tu especialista de apoyo",
        invite_code_hint: "Like ABCD-2345" | "Por ejemplo, ABCD-2345",
        your_name: "Your name" | "Tu nombre",
        choose_username: "Choose a username" | "Elige un nombre de usuario",
        choose_password: "Choose a password (8 characters or more)" | "Elige una contraseña (8 caracteres o más)",
        create_account: "Create my account" | "Crear mi cuenta",
        have_account: "I already have an account" | "Ya tengo una cuenta",
        wrong_credentials: "That username and password don't match. Please try again." | "Ese nombre de usuario y esa contraseña no coinciden. Inténtalo de nuevo.",
        too_many_tries: "Too many tries for now. Please wait a few minutes." | "Demasiados intentos por ahora. Espera unos minutos.",
        /// After "clear this phone" from another device.
        cleared: "This phone was signed out and cleared from another device. Nothing of yours is left on it. Sign in again to start fresh." | "Se cerró la sesión en este teléfono y se borró desde otro dispositivo. No queda nada tuyo en él. Vuelve a iniciar sesión para empezar de nuevo.",
        /// After a participant deleted their account.
        deleted: "Your account and everything you wrote in Alongside were deleted. Nothing of yours is left on this phone. Take care of yourself." | "Tu cuenta y todo lo que escribiste en Alongside se borraron. No queda nada tuyo en este teléfono. Cuídate mucho.",
        have_reset_code: "I can't sign in" | "No puedo iniciar sesión",
        reset_title: "A new password" | "Una contraseña nueva",
        reset_body: "Ask your program for a reset code. They read it to you; it works once, for one day. Your other devices will be signed out." | "Pide a tu programa un código para restablecer. Te lo leen; funciona una sola vez, durante un día. Se cerrará la sesión en tus otros dispositivos.",
        reset_code: "Reset code" | "Código para restablecer",
        new_password: "New password (8 characters or more)" | "Contraseña nueva (8 caracteres o más)",
        reset: "Set it and sign in" | "Guardarla e iniciar sesión",
        wrong_reset_code: "That code doesn't work for this username. Check it, or ask for a new one." | "Ese código no funciona con este nombre de usuario. Revísalo o pide uno nuevo.",
    }

    /// First run for a participant.
    SetUpWords {
        title: "A little about you" | "Un poco sobre ti",
        body: "This helps Alongside count your days in your own time zone and celebrate with you." | "Esto ayuda a Alongside a contar tus días en tu propia zona horaria y a celebrar contigo.",
        name: "What should we call you?" | "¿Cómo quieres que te llamemos?",
        pronouns: "Pronouns" | "Pronombres",
        time_zone: "Time zone" | "Zona horaria",
        recovery_start: "The day your recovery started" | "El día en que empezó tu recuperación",
        recovery_start_help: "Leave it empty if you'd rather add it later." | "Déjalo vacío si prefieres agregarlo después.",
        start: "Start" | "Empezar",
    }

    /// The participant's home screen.
    TodayWords {
        title: "Today" | "Hoy",
        greeting: "Hi, {name}" | "Hola, {name}",
        days_in_recovery: "{n} day in recovery|{n} days in recovery" | "{n} día en recuperación|{n} días en recuperación",
        first_day: "Today is day one. It counts." | "Hoy es el primer día. Y cuenta.",
        no_period: "When you're ready, add the day your recovery started." | "Cuando quieras, agrega el día en que empezó tu recuperación.",
        add_start: "Add the date" | "Agregar la fecha",
        start_again: "Start a new recovery period" | "Empezar un nuevo periodo de recuperación",
        start_again_body: "Starting again takes courage. Your earlier time stays in your history." | "Volver a empezar requiere valor. El tiempo que ya lograste se queda en tu historia.",
        start_date: "Starting on" | "A partir del",
        next_milestone: "{milestone} in {n} day|{milestone} in {n} days" | "{milestone} en {n} día|{milestone} en {n} días",
        to_celebrate: "Worth celebrating" | "Para celebrar",
        reached: "You reached {milestone}." | "Llegaste a {milestone}.",
        celebrate: "Celebrate" | "Celebrar",
        celebrated: "Well done. This one is yours." | "Bien hecho. Este logro es tuyo.",
        also_reached: "Also reached: {list}" | "También llegaste a: {list}",
        celebrate_all: "Celebrate them all" | "Celebrarlos todos",
        check_in: "How are you right now?" | "¿Cómo estás ahora?",
        mood: "Mood" | "Ánimo",
        craving: "Craving, from 0 to 10" | "Ganas de consumir, del 0 al 10",
        note: "A note for yourself" | "Una nota para ti",
        save_check_in: "Save check-in" | "Guardar cómo estoy",
        checked_in: "Saved. Thank you for taking a moment." | "Guardado. Gracias por tomarte un momento.",
        last_check_in: "Last check-in {when}: {mood}" | "Último registro {when}: {mood}",
        last_craving: "craving {craving} of 10" | "ganas {craving} de 10",
        goals: "How your goals are going" | "Cómo van tus metas",
        no_goals: "No goals yet. Add one whenever you like." | "Todavía no hay metas. Agrega una cuando quieras.",
        reach_outs: "When you asked to talk" | "Cuando pediste hablar",
        need_to_talk: "I need to talk" | "Necesito hablar",
    }

    /// Goals with Goal Attainment Scaling.
    GoalsWords {
        title: "Your goals" | "Tus metas",
        add: "Add a goal" | "Agregar una meta",
        empty: "Nothing here yet. A goal can be small: “walk the kids to school”." | "Todavía no hay nada. Una meta puede ser pequeña: “llevar a los niños a la escuela”.",
        goal_title: "What do you want to work on?" | "¿En qué quieres trabajar?",
        description: "More about it" | "Más detalles",
        area: "Part of life" | "Área de tu vida",
        target_date: "By when" | "Para cuándo",
        levels: "What would each outcome look like?" | "¿Cómo se vería cada resultado?",
        levels_help: "Write what each would mean for you. You can leave some empty." | "Escribe qué significaría cada uno para ti. Puedes dejar algunos vacíos.",
        overall: "Overall: {score}" | "En general: {score}",
        overall_help: "50 means things are going as you expected; higher is better than expected." | "50 quiere decir que va como esperabas; más alto es mejor de lo esperado.",
        overall_none: "Record where you are on a goal to see how they're going overall." | "Anota dónde estás en una meta para ver cómo van en general.",
        now: "Now: {level}" | "Ahora: {level}",
        not_yet: "No progress recorded yet" | "Todavía no hay avance anotado",
        record: "Record progress" | "Anotar avance",
        where_now: "Where are you now?" | "¿Dónde estás ahora?",
        progress_note: "A note" | "Una nota",
        progress_saved: "Saved. Every step counts." | "Guardado. Cada paso cuenta.",
        history: "Progress so far" | "Avance hasta ahora",
        mark_achieved: "I did it" | "Lo logré",
        status: "Status" | "Estado",
        by_date: "By {date}" | "Para el {date}",
    }

    /// Coping strategies, ranked by what helped.
    ToolboxWords {
        title: "Your toolbox" | "Tu caja de herramientas",
        intro: "What has helped you most comes first." | "Lo que más te ha ayudado aparece primero.",
        used: "Used {n} time|Used {n} times" | "La usaste {n} vez|La usaste {n} veces",
        helped: "Helped {score} out of 5" | "Ayudó {score} de 5",
        craving_drop: "Cravings went down by {n}" | "Las ganas bajaron {n}",
        favorite: "Favorite" | "Favorita",
        add_favorite: "Add to favorites" | "Agregar a favoritas",
        remove_favorite: "Remove from favorites" | "Quitar de favoritas",
        steps: "Steps" | "Pasos",
        helps_with: "Helps with" | "Ayuda con",
        log_use: "I used this" | "La usé",
        craving_before: "Craving before, from 0 to 10" | "Ganas antes, del 0 al 10",
        craving_after: "Craving after, from 0 to 10" | "Ganas después, del 0 al 10",
        helpfulness: "How much did it help? From 1 to 5" | "¿Cuánto te ayudó? Del 1 al 5",
        use_saved: "Saved. Using a tool is a skill, and you practised it." | "Guardado. Usar una herramienta es una habilidad, y la practicaste.",
        add_own: "Add your own" | "Agregar una tuya",
        name: "Name" | "Nombre",
        kind: "Kind" | "Tipo",
        steps_hint: "One step per line" | "Un paso por línea",
        triggers_hint: "What it helps with, one per line" | "Con qué te ayuda, uno por línea",
    }

    /// Contacts, emergency ones first.
    PeopleWords {
        title: "Your people" | "Tus personas",
        intro: "The people you lean on. Emergency contacts come first." | "Las personas en quienes te apoyas. Los contactos de emergencia van primero.",
        empty: "No one here yet. Add someone you can call on a hard day." | "Todavía no hay nadie. Agrega a alguien a quien puedas llamar en un día difícil.",
        add: "Add a person" | "Agregar una persona",
        name: "Name" | "Nombre",
        role: "Who they are to you" | "Quién es para ti",
        phone: "Phone" | "Teléfono",
        can_text: "Takes text messages" | "Acepta mensajes de texto",
        email: "Email" | "Correo electrónico",
        availability: "When they're usually free" | "Cuándo suele estar disponible",
        emergency: "Emergency contact" | "Contacto de emergencia",
        notes: "Notes" | "Notas",
        call: "Call {name}" | "Llamar a {name}",
        text: "Text {name}" | "Enviar un texto a {name}",
    }

    /// "I need to talk", and what became of it.
    ReachOutWords {
        title: "I need to talk" | "Necesito hablar",
        intro: "Your peer worker gets this on their phone." | "Tu especialista de apoyo lo recibe en su teléfono.",
        urgency: "How soon?" | "¿Qué tan pronto?",
        message: "Anything you want to say" | "Algo que quieras decir",
        send: "Send" | "Enviar",
        sending: "Sending…" | "Enviando…",
        delivered: "{name} has it." | "{name} ya lo tiene.",
        delivered_body: "They'll get back to you. If you need someone sooner, these lines are open now." | "Te va a responder. Si necesitas a alguien antes, estas líneas están abiertas ahora.",
        waiting: "Not through yet. Your phone keeps trying and sends it as soon as it can." | "Todavía no llegó. Tu teléfono sigue intentando y lo enviará en cuanto pueda.",
        waiting_body: "You don't have to wait:" | "No tienes que esperar:",
        no_peer_worker: "Add your peer worker under People to call them from here." | "Agrega a tu especialista de apoyo en Personas para llamarle desde aquí.",
        unassigned: "It's saved, but no peer worker is assigned to you yet, so nobody will see it for now." | "Está guardado, pero todavía no tienes especialista de apoyo asignado, así que por ahora nadie lo verá.",
        unassigned_body: "Someone can listen right now:" | "Alguien puede escucharte ahora mismo:",
        answering_now: "Usually answers at this time." | "Suele contestar a esta hora.",
        off_hours: "Outside their usual hours; they may not answer right away." | "Fuera de su horario habitual; puede que no conteste enseguida.",
        on_call: "On call for the program" | "De guardia en el programa",
        your_peer_worker: "Your peer worker" | "Tu especialista de apoyo",
        status_waiting: "Waiting for signal" | "Esperando señal",
        status_open: "Sent, not seen yet" | "Enviado, todavía sin ver",
        status_acknowledged: "Your peer worker has seen it" | "Tu especialista de apoyo ya lo vio",
        status_resolved: "Followed up" | "Con seguimiento",
        status_refused: "Not sent" | "Sin enviar",
    }

    /// The conversation with the peer worker.
    MessagesWords {
        title: "Messages" | "Mensajes",
        with: "With {name}" | "Con {name}",
        empty: "No messages yet. Say hello whenever you like." | "Todavía no hay mensajes. Saluda cuando quieras.",
        write: "Write a message" | "Escribe un mensaje",
        send: "Send" | "Enviar",
        waiting: "Waiting for signal" | "Esperando señal",
        sent: "Sent" | "Enviado",
        read: "Read" | "Leído",
        unread: "{n} new message|{n} new messages" | "{n} mensaje nuevo|{n} mensajes nuevos",
    }

    /// The Stanley–Brown safety plan.
    SafetyPlanWords {
        title: "My safety plan" | "Mi plan de seguridad",
        intro: "Steps to take, in order, when things get hard. Make it yours." | "Pasos a seguir, en orden, cuando las cosas se ponen difíciles. Hazlo a tu manera.",
        warning_signs: "1. My warning signs" | "1. Mis señales de alerta",
        warning_signs_help: "Thoughts, feelings or situations that tell me a hard time may be coming." | "Pensamientos, sentimientos o situaciones que me avisan que puede venir un momento difícil.",
        strategies: "2. Things I can do on my own" | "2. Cosas que puedo hacer por mi cuenta",
        distractions: "3. People and places that take my mind off things" | "3. Personas y lugares que me ayudan a distraerme",
        help_contacts: "4. People I can ask for help" | "4. Personas a quienes puedo pedir ayuda",
        professional_contacts: "5. Professionals I can contact" | "5. Profesionales a quienes puedo llamar",
        crisis_lines: "Crisis lines, any time" | "Líneas de crisis, a cualquier hora",
        environment: "6. Making my surroundings safer" | "6. Hacer más seguro mi entorno",
        reasons: "What I live for" | "Mis razones para vivir",
        add_line: "Add a line" | "Agregar una línea",
        choose: "Choose" | "Elegir",
        nothing_yet: "Nothing here yet." | "Todavía no hay nada.",
        saved: "Saved. Your plan is on this phone, even with no signal." | "Guardado. Tu plan está en este teléfono, aunque no haya señal.",
    }

    /// BARC-10: the ten statements, the answers, the total.
    Barc10Words {
        title: "Recovery check" | "Chequeo de recuperación",
        intro: "Ten statements about your life now. There are no right or wrong answers." | "Diez frases sobre tu vida ahora. No hay respuestas correctas ni incorrectas.",
        item_1: "There are more important things to me in life than using substances." | "En mi vida hay cosas más importantes para mí que consumir sustancias.",
        item_2: "In general I am happy with my life." | "En general, estoy contento o contenta con mi vida.",
        item_3: "I have enough energy to complete the tasks I set myself." | "Tengo suficiente energía para hacer lo que me propongo.",
        item_4: "I am proud of the community I live in and feel part of it." | "Me siento orgulloso u orgullosa de mi comunidad y parte de ella.",
        item_5: "I get lots of support from friends." | "Recibo mucho apoyo de mis amistades.",
        item_6: "I regard my life as challenging and fulfilling without the need for using drugs or alcohol." | "Siento que mi vida tiene retos y satisfacciones sin necesidad de consumir drogas ni alcohol.",
        item_7: "My living space has helped to drive my recovery journey." | "El lugar donde vivo me ha ayudado a avanzar en mi recuperación.",
        item_8: "I take full responsibility for my actions." | "Me hago responsable de mis acciones.",
        item_9: "I am happy dealing with a range of professional people." | "Me siento a gusto tratando con distintos profesionales.",
        item_10: "I am making good progress on my recovery journey." | "Estoy avanzando bien en mi camino de recuperación.",
        answer_1: "Strongly disagree" | "Muy en desacuerdo",
        answer_2: "Disagree" | "En desacuerdo",
        answer_3: "Somewhat disagree" | "Algo en desacuerdo",
        answer_4: "Somewhat agree" | "Algo de acuerdo",
        answer_5: "Agree" | "De acuerdo",
        answer_6: "Strongly agree" | "Muy de acuerdo",
        answered: "{n} of 10 answered" | "{n} de 10 respondidas",
        save: "Save my answers" | "Guardar mis respuestas",
        total: "Your total: {total} out of 60" | "Tu total: {total} de 60",
        up: "{n} more than last time" | "{n} más que la vez anterior",
        down: "{n} less than last time. Totals go up and down; checking in is what matters." | "{n} menos que la vez anterior. Los totales suben y bajan; lo importante es que te tomas el tiempo.",
        same: "The same as last time" | "Igual que la vez anterior",
        first: "Your first recovery check. Next time you'll see how it changed." | "Tu primer chequeo de recuperación. La próxima vez verás cómo cambió.",
        taken_on: "Taken on {date}" | "Hecho el {date}",
    }

    /// Consent: what the peer worker sees, and who looked.
    SharingWords {
        title: "What your peer worker sees" | "Lo que ve tu especialista de apoyo",
        intro: "They always see your name, when you ask to talk, your messages and their own notes. Everything else only if you turn it on." | "Siempre ve tu nombre, cuando pides hablar, tus mensajes y sus propias notas. Todo lo demás, solo si tú lo activas.",
        goals: "Goals and progress" | "Metas y avances",
        milestones: "Recovery time and milestones" | "Tiempo en recuperación y logros",
        check_ins: "Check-ins" | "Cómo te sientes",
        coping: "Toolbox" | "Caja de herramientas",
        contacts: "People" | "Personas",
        safety_plan: "Safety plan" | "Plan de seguridad",
        assessments: "Recovery checks" | "Chequeos de recuperación",
        until: "Share until" | "Compartir hasta",
        until_help: "Leave it empty to share until you change it." | "Déjalo vacío para compartir hasta que lo cambies.",
        save: "Save my choices" | "Guardar mis decisiones",
        saved: "Saved. Your peer worker's phone follows your choice at its next sync." | "Guardado. El teléfono de tu especialista de apoyo seguirá tu decisión en su próxima sincronización.",
        who_looked: "Who looked" | "Quién lo vio",
        who_looked_offline: "Connect to see who looked." | "Conéctate para ver quién lo vio.",
        nobody_yet: "No one has looked yet." | "Nadie lo ha visto todavía.",
        load_who_looked: "Show who looked" | "Mostrar quién lo vio",
        audit_received: "{who} received {what}" | "{who} recibió {what}",
        audit_sent: "{who} updated {what}" | "{who} actualizó {what}",
        you: "You" | "Tú",
        your_peer_worker: "Your peer worker" | "Tu especialista de apoyo",
        program_admin: "Your program" | "Tu programa",
        items: "{n} item|{n} items" | "{n} dato|{n} datos",
    }

    /// Export of everything about the person.
    ExportWords {
        title: "Export my data" | "Exportar mis datos",
        body: "A copy of everything about you on this phone, as one file you can keep or take elsewhere. It is yours." | "Una copia de todo lo tuyo que hay en este teléfono, en un solo archivo que puedes guardar o llevar a otro lugar. Es tuyo.",
        export: "Make the file" | "Crear el archivo",
        done: "Saved to {path}" | "Guardado en {path}",
    }

    /// Changes the server did not accept.
    OutboxWords {
        title: "Changes not sent" | "Cambios sin enviar",
        intro: "Nothing you wrote is lost. These stay on this phone." | "Nada de lo que escribiste se pierde. Se quedan en este teléfono.",
        empty: "Everything has been sent." | "Todo se ha enviado.",
        waiting: "Waiting to be sent" | "Esperando para enviarse",
        forbidden: "Not accepted: this isn't shared with you right now." | "No aceptado: esto no se comparte contigo en este momento.",
        consent_withdrawn: "Not sent: it stopped being shared with you. Kept here so nothing is lost." | "Sin enviar: dejó de compartirse contigo. Se guarda aquí para que nada se pierda.",
        locked: "Not accepted: the note was already submitted. Write an amendment instead." | "No aceptado: la nota ya estaba finalizada. Escribe una enmienda.",
        other: "Not accepted: {reason}" | "No aceptado: {reason}",
        send_again: "Send again" | "Enviar de nuevo",
        let_go: "Let it go" | "Descartarlo",
        let_go_note: "Letting it go brings back what the server has." | "Al descartarlo vuelve lo que tiene el servidor.",
    }

    /// An edit that lost to another made at the same time, kept for the person.
    ConflictWords {
        title: "Changed in two places" | "Cambiado en dos lugares",
        by_you: "You also changed this on another phone." | "También cambiaste esto en otro teléfono.",
        by_name: "{name} also changed this." | "{name} también cambió esto.",
        by_peer_worker: "Your peer worker also changed this." | "Tu especialista de apoyo también cambió esto.",
        by_someone: "Someone else also changed this." | "Otra persona también cambió esto.",
        yours: "What you wrote" | "Lo que escribiste",
        now: "What it says now" | "Lo que dice ahora",
        keep_mine: "Use mine" | "Usar lo mío",
        keep_theirs: "Keep it as it is" | "Dejarlo así",
    }

    /// The peer worker's caseload.
    CaseloadWords {
        title: "Your caseload" | "Tus participantes",
        empty: "No one on your caseload yet. Invite someone to begin." | "Todavía no tienes participantes. Invita a alguien para empezar.",
        urgent: "Urgent reach-out, {when}" | "Pedido urgente, {when}",
        open: "Asked to talk, {when}" | "Pidió hablar, {when}",
        unread: "{n} unread message|{n} unread messages" | "{n} mensaje sin leer|{n} mensajes sin leer",
        goals: "{n} goal needs attention|{n} goals need attention" | "{n} meta necesita atención|{n} metas necesitan atención",
        nothing_waiting: "Nothing waiting" | "Nada pendiente",
        days: "{n} day in recovery|{n} days in recovery" | "{n} día en recuperación|{n} días en recuperación",
        last_check_in: "Last check-in {when}: mood {mood} of 5" | "Último registro {when}: ánimo {mood} de 5",
        invite: "Invite someone" | "Invitar a alguien",
    }

    /// A participant's page, as their peer worker sees it.
    ParticipantWords {
        shares: "What {name} shares" | "Lo que comparte {name}",
        shares_until: "Until {date}" | "Hasta el {date}",
        shares_basics: "Only the basics: name, reach-outs, messages and your notes." | "Solo lo básico: nombre, pedidos para hablar, mensajes y tus notas.",
        reach_outs: "Reach-outs" | "Pedidos para hablar",
        no_reach_outs: "No open reach-outs." | "No hay pedidos abiertos.",
        acknowledge: "I've seen it" | "Ya lo vi",
        resolve: "Followed up" | "Ya di seguimiento",
        goals: "Goals" | "Metas",
        gas: "GAS T-score: {score}" | "Puntaje T de GAS: {score}",
        goals_not_shared: "{name} isn't sharing goals right now. That's their choice; if they share again, their goals come back here." | "{name} no está compartiendo sus metas en este momento. Es su decisión; si vuelve a compartirlas, aparecerán aquí.",
        no_goals: "No goals yet." | "Todavía no hay metas.",
        check_ins: "Recent check-ins" | "Registros recientes",
        check_ins_not_shared: "{name} isn't sharing check-ins right now." | "{name} no está compartiendo sus registros en este momento.",
        no_check_ins: "No check-ins yet." | "Todavía no hay registros.",
        check_in_row: "Mood {mood} of 5, {when}" | "Ánimo {mood} de 5, {when}",
        check_in_craving: "craving {craving} of 10" | "ganas {craving} de 10",
        days: "{n} day in recovery|{n} days in recovery" | "{n} día en recuperación|{n} días en recuperación",
        notes: "Encounter notes" | "Notas de encuentro",
        no_notes: "No notes yet." | "Todavía no hay notas.",
        new_note: "New note" | "Nueva nota",
        messages: "Messages" | "Mensajes",
    }

    /// An encounter note, written in the field.
    NoteWords {
        title: "Encounter note" | "Nota de encuentro",
        date: "Date" | "Fecha",
        minutes: "Minutes" | "Minutos",
        mode: "How you met" | "Cómo se reunieron",
        location: "Where" | "Dónde",
        services: "Services" | "Servicios",
        goals: "Goals worked on" | "Metas trabajadas",
        summary: "What happened" | "Qué pasó",
        next_steps: "Next steps" | "Próximos pasos",
        save_draft: "Save draft" | "Guardar borrador",
        submit: "Submit note" | "Finalizar nota",
        draft: "Draft" | "Borrador",
        submitted: "Submitted" | "Finalizada",
        locked: "A submitted note can't be changed. To correct it, write an amendment." | "Una nota finalizada no se puede cambiar. Para corregirla, escribe una enmienda.",
        amend: "Write an amendment" | "Escribir una enmienda",
        amendment: "Amendment" | "Enmienda",
        amends: "Corrects the note of {date}" | "Corrige la nota del {date}",
        draft_saved: "Draft saved on this phone." | "Borrador guardado en este teléfono.",
        note_row: "{date}, {minutes} min, {mode}" | "{date}, {minutes} min, {mode}",
        from_peer_worker: "Notes from your peer worker" | "Notas de tu especialista de apoyo",
        none_yet: "No notes yet. After you meet, your peer worker's notes show here." | "Todavía no hay notas. Después de reunirse, las notas de tu especialista de apoyo aparecen aquí.",
    }

    /// A peer worker inviting a participant.
    InviteWords {
        title: "Invite someone" | "Invitar a alguien",
        body: "You'll get a code to read aloud. It works once, for 7 days." | "Recibirás un código para leer en voz alta. Funciona una sola vez, durante 7 días.",
        name: "Their name" | "Su nombre",
        make_code: "Make a code" | "Crear un código",
        read_aloud: "Read this code to {name}:" | "Lee este código a {name}:",
        expires: "It works once, until {date}." | "Funciona una sola vez, hasta el {date}.",
        needs_connection: "Making a code needs a connection." | "Para crear un código se necesita conexión.",
    }

    /// The protocol's enum values, as people read them.
    LabelWords {
        area_recovery: "Recovery" | "Recuperación",
        area_parenting: "Parenting" | "Crianza",
        area_health: "Health" | "Salud",
        area_housing: "Housing" | "Vivienda",
        area_employment: "Work" | "Trabajo",
        area_education: "Education" | "Estudios",
        area_legal: "Legal matters" | "Asuntos legales",
        area_relationships: "Relationships" | "Relaciones",
        area_finances: "Money" | "Dinero",
        area_other: "Other" | "Otra",
        goal_active: "Working on it" | "En proceso",
        goal_achieved: "Achieved" | "Lograda",
        goal_paused: "Paused" | "En pausa",
        goal_archived: "Put away" | "Guardada",
        level_much_less: "Much less than expected" | "Mucho menos de lo esperado",
        level_less: "Less than expected" | "Menos de lo esperado",
        level_expected: "What I expect" | "Lo que espero",
        level_more: "More than expected" | "Más de lo esperado",
        level_much_more: "Much more than expected" | "Mucho más de lo esperado",
        mood_1: "Very low" | "Muy bajo",
        mood_2: "Low" | "Bajo",
        mood_3: "Okay" | "Más o menos",
        mood_4: "Good" | "Bien",
        mood_5: "Very good" | "Muy bien",
        category_craving: "Cravings" | "Ganas de consumir",
        category_stress: "Stress" | "Estrés",
        category_mood: "Mood" | "Ánimo",
        category_parenting: "Parenting" | "Crianza",
        category_sleep: "Sleep" | "Sueño",
        category_anger: "Anger" | "Enojo",
        category_other: "Other" | "Otra",
        source_builtin: "From Alongside" | "De Alongside",
        source_personal: "Yours" | "Tuya",
        source_peer: "From your peer worker" | "De tu especialista de apoyo",
        role_peer_worker: "Peer worker" | "Especialista de apoyo",
        role_sponsor: "Sponsor" | "Padrino o madrina",
        role_counselor: "Counselor" | "Consejería",
        role_family: "Family" | "Familia",
        role_friend: "Friend" | "Amistad",
        role_medical: "Medical" | "Atención médica",
        role_childcare: "Childcare" | "Cuidado infantil",
        role_crisis_line: "Crisis line" | "Línea de crisis",
        role_other: "Other" | "Otra relación",
        urgency_when_you_can: "When you can" | "Cuando puedas",
        urgency_today: "Today" | "Hoy",
        urgency_urgent: "As soon as possible" | "Lo antes posible",
        mode_in_person: "In person" | "En persona",
        mode_phone: "Phone call" | "Llamada",
        mode_video: "Video call" | "Videollamada",
        mode_text: "Text messages" | "Mensajes de texto",
        location_home: "Home" | "Casa",
        location_community: "Community" | "Comunidad",
        location_office: "Office" | "Oficina",
        location_hospital: "Hospital" | "Hospital",
        location_court: "Court" | "Tribunal",
        location_shelter: "Shelter" | "Albergue",
        location_other: "Other" | "Otro lugar",
        service_recovery_coaching: "Recovery coaching" | "Acompañamiento en la recuperación",
        service_resource_navigation: "Finding resources" | "Búsqueda de recursos",
        service_crisis_support: "Crisis support" | "Apoyo en crisis",
        service_group: "Group" | "Grupo",
        service_advocacy: "Advocacy" | "Defensa de derechos",
        service_family_support: "Family support" | "Apoyo familiar",
        service_other: "Other" | "Otro servicio",
        collection_profile: "Your profile" | "Tu perfil",
        collection_sharing: "Sharing choices" | "Lo que compartes",
        collection_recovery_periods: "Recovery time" | "Tiempo en recuperación",
        collection_goals: "A goal" | "Una meta",
        collection_goal_progress: "Progress on a goal" | "Avance de una meta",
        collection_milestones: "A milestone" | "Un logro",
        collection_coping_strategies: "A coping tool" | "Una herramienta",
        collection_coping_uses: "A use of a tool" | "Un uso de una herramienta",
        collection_contacts: "A contact" | "Un contacto",
        collection_check_ins: "A check-in" | "Un registro de cómo estás",
        collection_safety_plan: "Safety plan" | "Plan de seguridad",
        collection_reach_outs: "A request to talk" | "Un pedido para hablar",
        collection_assessments: "A recovery check" | "Un chequeo de recuperación",
        collection_messages: "A message" | "Un mensaje",
        collection_encounter_notes: "An encounter note" | "Una nota de encuentro",
    }

    /// Recovery-time milestones' names.
    MilestoneWords {
        hours_24: "24 hours" | "24 horas",
        days: "{n} day|{n} days" | "{n} día|{n} días",
        months: "{n} month|{n} months" | "{n} mes|{n} meses",
        years: "{n} year|{n} years" | "{n} año|{n} años",
    }

    /// Reminders: the notifications the core schedules, and their settings.
    ReminderWords {
        check_in_title: "How are you today?" | "¿Cómo estás hoy?",
        check_in_body: "Take a moment to check in, whenever you're ready." | "Tómate un momento para contar cómo estás, cuando quieras.",
        milestone_tomorrow_title: "Tomorrow: {milestone}" | "Mañana: {milestone}",
        milestone_tomorrow_body: "Tomorrow is {milestone}. That matters." | "Mañana cumples {milestone}. Eso importa.",
        milestone_today_title: "Today: {milestone}" | "Hoy: {milestone}",
        milestone_today_body: "Today is {milestone}. This one is yours." | "Hoy cumples {milestone}. Este logro es tuyo.",
        goal_title: "The day you chose" | "El día que elegiste",
        goal_body: "Today is the date you set for “{goal}”. However it's going, it's worth a look." | "Hoy es la fecha que pusiste para “{goal}”. Vaya como vaya, vale la pena mirarla.",
        messages_body: "Read it whenever you're ready.|Read them whenever you're ready." | "Léelo cuando quieras.|Léelos cuando quieras.",
        /// Every reminder's words when the lock screen shows no content (the title is the app's name).
        discreet_body: "You have something new." | "Tienes algo nuevo.",
        title: "Reminders" | "Recordatorios",
        check_in: "A daily check-in" | "Un registro diario de cómo estás",
        check_in_time: "At" | "A las",
        milestones: "Milestones, the evening before and on the day" | "Logros, la noche anterior y el mismo día",
        goal_dates: "The dates you set for your goals" | "Las fechas que pusiste para tus metas",
        messages: "New messages" | "Mensajes nuevos",
        quiet_hours: "Quiet hours" | "Horas de silencio",
        quiet_hours_help: "Nothing rings then; reminders wait until they end." | "Nada suena en esas horas; los recordatorios esperan a que terminen.",
        quiet_from: "From" | "Desde",
        quiet_until: "Until" | "Hasta",
        discreet: "Hide the details on the lock screen" | "Ocultar los detalles en la pantalla de bloqueo",
        time_hint: "Like 20:00" | "Como 20:00",
        time_format: "Use a time like 20:00." | "Usa una hora como 20:00.",
        saved: "Saved. Your phone will remind you this way." | "Guardado. Tu teléfono te recordará así.",
    }

    /// A peer worker's own number and hours, for their participants' phones.
    MyContactWords {
        title: "Your number for participants" | "Tu número para participantes",
        intro: "When someone on your caseload reaches out and can't wait, their phone offers to call you here, and says whether you usually answer at that time. Outside these hours it also offers the program's on-call line." | "Cuando alguien de tu grupo se comunica y no puede esperar, su teléfono le ofrece llamarte aquí y dice si sueles contestar a esa hora. Fuera de este horario también le ofrece la línea de guardia del programa.",
        phone: "Phone number" | "Número de teléfono",
        days: "Days you usually answer" | "Días en que sueles contestar",
        from: "From" | "Desde",
        until: "Until" | "Hasta",
        saved: "Saved. Your participants' phones get it with their next sync." | "Guardado. Los teléfonos de tus participantes lo reciben en su próxima sincronización.",
        offline: "This needs a connection. Try again when you're online." | "Esto necesita conexión. Inténtalo de nuevo cuando estés en línea.",
        mon: "Mon" | "Lun",
        tue: "Tue" | "Mar",
        wed: "Wed" | "Mié",
        thu: "Thu" | "Jue",
        fri: "Fri" | "Vie",
        sat: "Sat" | "Sáb",
        sun: "Sun" | "Dom",
    }

    /// A person's signed-in devices.
    DevicesWords {
        title: "Your devices" | "Tus dispositivos",
        intro: "Where you are signed in. Sign out any you no longer use." | "Dónde tienes la sesión iniciada. Cierra la sesión en los que ya no uses.",
        this_device: "This phone" | "Este teléfono",
        signed_in: "Signed in {when}" | "Sesión iniciada {when}",
        last_used: "Last used {when}" | "Último uso {when}",
        sign_out: "Sign out" | "Cerrar sesión",
        clear: "Sign out and clear it" | "Cerrar sesión y borrarlo",
        clear_help: "For a lost phone: the next time it connects, everything of yours on it is deleted." | "Para un teléfono perdido: la próxima vez que se conecte, se borra todo lo tuyo que haya en él.",
        offline: "This needs a connection. Try again when you're online." | "Esto necesita conexión. Inténtalo de nuevo cuando estés en línea.",
        done: "Signed out." | "Sesión cerrada.",
    }

    /// A person's account: their password, and (a participant) leaving.
    AccountWords {
        title: "Your account" | "Tu cuenta",
        password_title: "Change your password" | "Cambia tu contraseña",
        current_password: "Your password now" | "Tu contraseña actual",
        new_password: "New password (8 characters or more)" | "Contraseña nueva (8 caracteres o más)",
        change: "Change password" | "Cambiar contraseña",
        wrong_password: "That isn't your password now. Please try again." | "Esa no es tu contraseña actual. Inténtalo de nuevo.",
        short_password: "Choose a password of 8 characters or more." | "Elige una contraseña de 8 caracteres o más.",
        changed: "Your password is changed. Your other devices were signed out; sign in there with the new one." | "Tu contraseña cambió. Se cerró la sesión en tus otros dispositivos; inicia sesión allí con la nueva.",
        delete_title: "Delete your account" | "Borra tu cuenta",
        delete_body: "This deletes everything you wrote in Alongside: on this phone, on the server, and the copies your peer worker sees. It can't be undone. Your program keeps only a record of who saw which kind of information and when, with none of what you wrote, because the law asks it to." | "Esto borra todo lo que escribiste en Alongside: en este teléfono, en el servidor y las copias que ve tu especialista de apoyo. No se puede deshacer. Tu programa guarda solo un registro de quién vio qué tipo de información y cuándo, sin nada de lo que escribiste, porque la ley se lo pide.",
        delete_password: "Your password, to be sure it's you" | "Tu contraseña, para saber que eres tú",
        delete: "Delete my account" | "Borrar mi cuenta",
        delete_sure: "Are you sure? Everything goes, and it can't be brought back." | "¿Lo confirmas? Se borra todo y no se puede recuperar.",
        delete_confirm: "Yes, delete everything" | "Sí, borrar todo",
        keep: "No, keep my account" | "No, conservar mi cuenta",
        peer_worker_leaving: "To close a peer worker's account, ask your program's admin." | "Para cerrar la cuenta de un especialista de apoyo, pídeselo al administrador de tu programa.",
        offline: "This needs a connection. Try again when you're online." | "Esto necesita conexión. Inténtalo de nuevo cuando estés en línea.",
    }

    /// Notifications after a wake-up, built on the phone from its own store.
    NewsWords {
        app_name: "Alongside" | "Alongside",
        urgent_reach_out: "{name} needs to talk now" | "{name} necesita hablar ahora",
        reach_out: "{name} reached out" | "{name} se comunicó contigo",
        no_message: "No message, just a wish to talk." | "Sin mensaje, solo ganas de hablar.",
        messages: "{n} new message from {name}|{n} new messages from {name}" | "{n} mensaje nuevo de {name}|{n} mensajes nuevos de {name}",
        your_peer_worker: "your peer worker" | "tu especialista de apoyo",
        /// A participant whose profile has not reached this phone yet.
        someone: "Someone on your caseload" | "Alguien de tu grupo",
    }

    /// Why a value was refused, said kindly (templates for `i18n::reason`).
    ReasonWords {
        required: "Please fill this in." | "Por favor, completa este campo.",
        too_long: "Please keep it to {max} characters." | "Por favor, usa como máximo {max} caracteres.",
        time_zone: "Use a time zone name such as America/New_York." | "Usa el nombre de una zona horaria, como America/New_York.",
        date: "Use a date like 2026-11-23." | "Usa una fecha como 2026-11-23.",
        range: "Choose a whole number from {min} to {max}." | "Elige un número entero del {min} al {max}.",
        at_least: "Choose a whole number of at least {min}." | "Elige un número entero de {min} o más.",
        one_of: "Please choose one of the options." | "Por favor, elige una de las opciones.",
        too_many: "Please keep it to {max} items." | "Por favor, usa como máximo {max} elementos.",
        min_items: "Please choose at least {min}." | "Por favor, elige al menos {min}.",
        repeated: "Each option only once, please." | "Cada opción solo una vez, por favor.",
        answers: "Please answer all {len}." | "Por favor, responde las {len}.",
        before_period: "It can't be before your current period started ({date})." | "No puede ser antes de que empezara tu periodo actual ({date}).",
        read_by_recipient: "Only the person it was sent to can mark it read." | "Solo la persona que lo recibió puede marcarlo como leído.",
        amend_draft: "A draft can still be edited; only a submitted note needs an amendment." | "Un borrador todavía se puede editar; solo una nota finalizada necesita una enmienda.",
        invite_unknown: "That code didn't work. Check it with your peer worker, or ask for a new one." | "Ese código no funcionó. Revísalo con tu especialista de apoyo o pide uno nuevo.",
        invite_used: "That code was already used. Ask your peer worker for a new one." | "Ese código ya se usó. Pide uno nuevo a tu especialista de apoyo.",
        username: "Use 1 to 64 characters, with no spaces." | "Usa de 1 a 64 caracteres, sin espacios.",
        username_taken: "That username is taken. Please choose another." | "Ese nombre de usuario ya existe. Por favor, elige otro.",
        name: "Use 1 to 80 characters." | "Usa de 1 a 80 caracteres.",
        password: "Use at least {min} characters." | "Usa al menos {min} caracteres.",
        internal: "This could not be saved. Please try again." | "No se pudo guardar. Inténtalo de nuevo.",
    }
}
