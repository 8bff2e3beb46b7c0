//! The built-in coping library in Spanish, strategy by strategy in the order of
//! `BUILTIN_STRATEGIES` (same keys, same number of steps and triggers). Written
//! for Alongside in plain, warm Spanish for US Spanish speakers, addressed with "tú".

use super::coping::Translation;

pub const SPANISH: &[Translation] = &[
    // ---- craving ----
    Translation {
        key: "urge_surfing",
        title: "Surfea las ganas como una ola",
        steps: &[
            "Nota las ganas y ponles nombre, en voz alta o en tu mente: \"Son ganas de consumir. Van a subir, llegar a su punto más alto y pasar.\"",
            "Busca en qué parte del cuerpo las sientes: el pecho, el estómago, las manos o la boca. Solo obsérvalas, sin pelear con ellas.",
            "Respira despacio e imagina las ganas como una ola. Tú vas arriba, sobre la ola, no hundiéndote debajo de ella.",
            "Cada uno o dos minutos, califica qué tan fuertes son, del 0 al 10. Casi siempre, las ganas llegan a su punto más alto y empiezan a bajar en 20 a 30 minutos.",
            "Cuando se calmen, dite algo amable por haber aguantado la ola.",
        ],
        triggers: &["ganas de consumir", "estar a solas", "ver lugares o personas de antes", "el final del día"],
    },
    Translation {
        key: "delay_and_distract",
        title: "Espera, distráete y decide después",
        steps: &[
            "Dite: \"Ahora no. Lo decido en 15 minutos.\" Pon un temporizador en tu teléfono.",
            "Cambia lo que estás haciendo y el lugar donde estás: ve a otro cuarto, sal un momento afuera o abre una ventana.",
            "Elige algo que mantenga tus manos ocupadas: lavar los platos, doblar la ropa, construir algo con tu hijo o hija, o jugar un juego en el teléfono.",
            "Cuando suene el temporizador, revisa cómo estás. Si las ganas siguen fuertes, pon otros 15 minutos y elige una actividad nueva.",
            "Cada espera cuenta. Date cuenta de que lo lograste.",
        ],
        triggers: &["aburrimiento", "estar esperando sin nada que hacer", "los fines de semana", "no tener nada planeado"],
    },
    Translation {
        key: "play_the_tape_forward",
        title: "Mira la película completa",
        steps: &[
            "Cuando las ganas te digan \"solo una vez\", haz una pausa e imagina la historia completa, no solo los primeros minutos.",
            "Pregúntate: ¿qué pasa una hora después? ¿Esta noche? ¿Mañana temprano, cuando los niños se despierten?",
            "Piensa en quién se daría cuenta y en cómo te sentirías frente a esas personas.",
            "Ahora imagina otra película: pasas la próxima hora sin consumir. Imagina cómo sería mañana temprano en esa versión.",
            "Elige la película que quieres y haz ahora mismo algo pequeño que te acerque a ella.",
        ],
        triggers: &["pensamientos de \"una sola vez no me va a hacer daño\"", "celebraciones", "sentir que me merezco un descanso"],
    },
    Translation {
        key: "call_someone",
        title: "Comunícate con alguien",
        steps: &[
            "Ten una lista corta de dos o tres personas a quienes puedas llamar o escribir: tu especialista de apoyo, tu padrino o madrina, un amigo o amiga, o una línea de ayuda. Ponlas arriba de todo en tu teléfono.",
            "Busca a alguien antes de que las ganas crezcan. Basta con un mensaje: \"Estoy pasando un momento difícil, ¿puedes hablar?\"",
            "Di con sencillez lo que está pasando. No tienes que explicarlo todo ni hacer que suene bien.",
            "Si la primera persona no contesta, prueba con la siguiente de la lista o llama a una línea de ayuda.",
            "Quédate en la llamada o sigue escribiendo hasta que las ganas bajen un poco.",
            "Después, dale las gracias. Pedir apoyo es una habilidad, y la acabas de practicar.",
        ],
        triggers: &["sentir soledad", "tarde en la noche", "malas noticias"],
    },
    Translation {
        key: "payday_plan",
        title: "Haz un plan para el día de pago",
        steps: &[
            "Antes del día de pago, escribe en qué se va a usar el dinero primero: la renta, la comida, las cuentas, las cosas de los niños.",
            "Ese día, paga enseguida las cuentas más importantes o compra la comida de la casa, antes que cualquier otra cosa.",
            "Lleva solo el efectivo que necesitas para ese día. Deja las tarjetas en casa si eso te ayuda.",
            "Pídele a alguien de confianza que se comunique contigo el día de pago, o que te guarde el efectivo extra por un tiempo.",
            "Planea algo para la noche que cueste poco y te dé algo que hacer, como una noche de películas con los niños.",
        ],
        triggers: &["el día de pago", "tener efectivo a la mano", "recibir un pago de beneficios"],
    },
    // ---- stress ----
    Translation {
        key: "box_breathing",
        title: "Respiración cuadrada",
        steps: &[
            "Siéntate o quédate de pie donde estás. Puedes tener los ojos abiertos y seguir pendiente de tu hijo o hija.",
            "Inhala despacio por la nariz mientras cuentas hasta cuatro.",
            "Aguanta el aire con suavidad mientras cuentas hasta cuatro.",
            "Exhala despacio por la boca mientras cuentas hasta cuatro.",
            "Vuelve a aguantar el aire mientras cuentas hasta cuatro y luego empieza la siguiente ronda.",
            "Repite cuatro o cinco rondas. Los niños pueden hacerlo contigo: dibujen juntos un cuadrado en el aire, un lado por cada cuenta.",
        ],
        triggers: &["sentir agobio", "antes de una conversación difícil", "citas", "el corazón acelerado"],
    },
    Translation {
        key: "grounding_five_senses",
        title: "5-4-3-2-1 para volver al presente",
        steps: &[
            "Mira a tu alrededor y nombra cinco cosas que puedes ver. Dilas en voz alta si puedes.",
            "Nombra cuatro cosas que puedes sentir al tocarlas: tus pies en el piso, tu manga, una taza, la mano de tu hijo o hija.",
            "Nombra tres cosas que puedes oír.",
            "Nombra dos cosas que puedes oler, o dos olores que te gusten.",
            "Nombra una cosa que puedes saborear, o toma un sorbo de agua.",
            "Respira una vez despacio y fíjate dónde estás, ahora mismo, en este momento.",
        ],
        triggers: &["sentir pánico", "pensamientos acelerados", "lugares llenos de gente"],
    },
    // ---- mood ----
    Translation {
        key: "one_small_good_thing",
        title: "Haz una cosa buena y pequeña",
        steps: &[
            "Cuando tu ánimo esté bajo, no esperes a sentirte con energía para hacer algo. Elige una cosa pequeña que tome menos de diez minutos.",
            "Escoge entre cosas que casi siempre ayudan un poco: una caminata corta, una ducha, música que te guste, un té en el escalón de la entrada, dibujar con tu hijo o hija.",
            "Hazla, aunque sea sin mucho ánimo. Hacerla a medias también cuenta.",
            "Después, califica tu ánimo del 0 al 10 y fíjate si cambió, aunque sea un punto.",
            "Anota lo que hiciste, así tendrás una lista preparada para la próxima vez.",
        ],
        triggers: &["ánimo bajo", "días grises", "sentir que no puedo levantarme del sofá"],
    },
    Translation {
        key: "kind_self_talk",
        title: "Háblate como le hablarías a un amigo",
        steps: &[
            "Nota el pensamiento duro, como \"soy una pésima madre\", \"soy un pésimo padre\" o \"siempre lo echo todo a perder\".",
            "Pregúntate: ¿qué le diría yo a un amigo que me contara esto?",
            "Dítelo a ti, en voz alta o en tu mente. Que sea corto y verdadero: \"Estoy teniendo un día difícil, y aun así sigo intentándolo.\"",
            "Pon una mano en tu pecho o en tu brazo mientras lo dices, si eso se siente bien para ti.",
            "Nombra una cosa que hiciste hoy que te costó esfuerzo, por pequeña que sea.",
        ],
        triggers: &["culpa", "vergüenza", "después de cometer un error", "compararme con otros padres"],
    },
    // ---- sleep ----
    Translation {
        key: "wind_down_routine",
        title: "Una rutina para relajarte antes de dormir",
        steps: &[
            "Elige una hora para empezar a relajarte, más o menos una hora antes de acostarte, y pon un recordatorio suave en tu teléfono.",
            "Baja las luces y guarda las pantallas, o ponlas en modo nocturno.",
            "Haz las mismas dos o tres cosas tranquilas cada noche: una bebida caliente sin cafeína, una ducha, unas cuantas páginas de un libro.",
            "Escribe en un papel las preocupaciones de mañana, para sacarlas de tu cabeza y dejarlas esperando hasta la mañana.",
            "Si no puedes dormir después de unos 20 minutos, levántate, siéntate en un lugar tranquilo y con poca luz, y vuelve a la cama cuando te dé sueño.",
            "Trata de levantarte a la misma hora todos los días, aunque hayas tenido una mala noche.",
        ],
        triggers: &["no poder dormir", "despertarme en la noche", "pensamientos acelerados a la hora de dormir"],
    },
    // ---- anger ----
    Translation {
        key: "step_away_to_cool_down",
        title: "Aléjate un momento para calmarte",
        steps: &[
            "Aprende a reconocer las primeras señales de enojo: la cara caliente, la mandíbula apretada, los puños cerrados, la voz que sube.",
            "Usa siempre la misma frase para que los demás sepan lo que pasa: \"Necesito unos minutos. Ya regreso.\"",
            "Si hay niños presentes, primero asegúrate de que estén a salvo. Luego aléjate unos pasos a un lugar donde todavía puedas verlos u oírlos.",
            "Saca la energía de forma segura: exhala largo y despacio, aprieta fuerte las palmas una contra otra, o échate agua fría en la cara.",
            "Regresa cuando te sientas con más calma. Si necesitas hablar de lo que pasó, empieza con \"Yo siento\" en lugar de echar la culpa.",
        ],
        triggers: &["discusiones", "sentir que no me escuchan", "tratar con mi expareja", "el tráfico"],
    },
    // ---- other ----
    Translation {
        key: "halt_check",
        title: "Revisión HALT: ¿tengo hambre, enojo, soledad o cansancio?",
        steps: &[
            "Cuando algo no se sienta bien, detente y hazte cuatro preguntas: ¿Tengo hambre? ¿Siento enojo? ¿Siento soledad? ¿Siento cansancio?",
            "Si tienes hambre: come algo sencillo ahora, como pan tostado, fruta o algo ligero que compartas con tu hijo o hija.",
            "Si sientes enojo: nombra lo que te molestó y respira despacio unas cuantas veces antes de actuar.",
            "Si sientes soledad: mándale un mensaje a alguien, aunque sea solo para saludar.",
            "Si sientes cansancio: descansa cuando puedas, aunque sean diez minutos en la cama o el sofá mientras los niños ven un programa.",
            "Las ganas de consumir suelen sentirse más fuertes cuando una de estas necesidades no está cubierta. Atender esa necesidad puede quitarles algo de fuerza.",
        ],
        triggers: &["sentirme mal sin saber por qué", "días largos", "saltarme comidas"],
    },
    // ---- parenting ----
    Translation {
        key: "pause_before_responding",
        title: "Haz una pausa antes de responderle a tu hijo o hija",
        steps: &[
            "Cuando tu hijo o hija te saque de quicio, respira despacio una vez antes de decir algo.",
            "Cuenta hasta cinco en tu mente, o dite en voz baja \"pausa\".",
            "Ponte a la altura de sus ojos y baja la voz en vez de subirla.",
            "Nombra lo que ves: \"Te molesta mucho que nos tengamos que ir.\"",
            "Luego da una sola instrucción clara y tranquila, o una opción sencilla: \"¿Te pones los zapatos ahora o en un minuto?\"",
            "Si llegas a explotar, lo puedes reparar: más tarde, pide perdón y ofrece un abrazo. Reparar les enseña mucho.",
        ],
        triggers: &["quejas y lloriqueos", "que me contesten mal", "peleas entre los niños", "mañanas con prisa"],
    },
    Translation {
        key: "meltdown_reset",
        title: "Vuelve a la calma cuando los niños se desbordan",
        steps: &[
            "Empieza por tu propio cuerpo: baja los hombros, abre las manos y exhala despacio.",
            "Haz que el lugar sea seguro: quita de su alcance las cosas que se pueden romper o que son peligrosas, y dale a cada quien un poco de espacio.",
            "Usa pocas palabras. Un \"Aquí estoy. Estás a salvo.\" dicho con voz suave y firme funciona mejor que dar explicaciones.",
            "Cambia el ambiente: salgan afuera, prepara un baño, pon una canción o baja las luces.",
            "Ofrece algo para los sentidos: un vaso de agua, una cobija, un abrazo apretado si lo quieren.",
            "Cuando todos estén tranquilos, coman algo juntos. Hablen de lo que pasó más tarde, no en medio de la crisis.",
        ],
        triggers: &["berrinches", "niños demasiado cansados", "una casa ruidosa", "el final del día escolar"],
    },
    Translation {
        key: "bedtime_hour_plan",
        title: "Un plan para la hora de dormir",
        steps: &[
            "Piensa en tu noche en tres partes: la rutina de dormir de los niños, la hora después de que se duermen, y tu propia hora de dormir.",
            "Mantén la rutina de los niños sencilla e igual cada noche: baño, dientes, cuento, luces apagadas.",
            "Antes de que llegue, decide qué vas a hacer en la primera hora después de que se duerman: ver un programa, llamar a un amigo o amiga, darte una ducha, hacer una manualidad, entrar a una reunión en línea.",
            "Haz que el espacio se sienta diferente: siéntate en otra silla, prepárate un té, pon música que te guste.",
            "Si esa hora era cuando antes te llegaban las ganas de consumir, cuéntaselo a alguien y pídele que te escriba a esa hora.",
            "Ponte una hora para acostarte y trata de respetarla, para que la noche tenga un final claro.",
        ],
        triggers: &["después de que los niños se duermen", "una casa en silencio", "noches a solas"],
    },
    Translation {
        key: "school_pickup_bridge",
        title: "Una rutina puente después de recoger a los niños de la escuela",
        steps: &[
            "Fíjate qué parte se te hace más difícil: la espera en la puerta de la escuela, el camino a casa o la primera hora al llegar.",
            "Planea una rutina corta para ese momento y repítela igual cada día: algo de comer en el carro, caminar a casa pasando por el parque o la misma canción en el camino.",
            "Toma otro camino si el de siempre pasa por un lugar que tiene que ver con cuando consumías.",
            "En casa, haz los primeros 20 minutos igual todos los días: algo de comer, algo de tomar, quitarse los zapatos, unos minutos de juego o de conversación.",
            "Ten listo un plan de cena fácil para que la tarde no se te venga encima.",
            "Mándale un mensaje a una persona de apoyo a la hora de la salida, para que alguien sepa que esa hora es difícil para ti.",
        ],
        triggers: &[
            "recoger a los niños de la escuela",
            "el final de la tarde",
            "pasar en carro por lugares de antes",
            "niños cansados después de la escuela",
        ],
    },
    Translation {
        key: "after_dinner_plan",
        title: "Llena el rato después de la cena",
        steps: &[
            "Reconoce el rato después de la cena como un momento en que pueden aparecer las ganas de consumir, para que no te tome por sorpresa.",
            "Planea una actividad en familia para empezar justo después de cenar: una caminata, un juego de mesa, dibujar, una fiesta de baile en la cocina.",
            "Dale a tus manos algo que hacer: lavar los platos juntos, preparar las loncheras, dejar lista la ropa para la escuela.",
            "Ten lista una bebida que disfrutes, como agua con gas, té o chocolate caliente con los niños.",
            "Si aun así llegan las ganas, dile a tu hijo o hija que van a jugar un juego de respiración, y hagan juntos la respiración cuadrada.",
        ],
        triggers: &["después de cenar", "las rutinas de la noche", "los fines de semana en casa"],
    },
    Translation {
        key: "ask_for_childcare_help",
        title: "Pide ayuda con el cuidado de los niños",
        steps: &[
            "Haz una lista corta de personas que podrían cuidar a los niños por una hora: familiares, un vecino o vecina, otra mamá u otro papá, una guardería o un programa de cuidado infantil.",
            "Pide con tiempo un horario fijo, por ejemplo una tarde a la semana, para que puedas descansar, ir a una reunión o ver a tu especialista de apoyo.",
            "Pide de forma sencilla: \"¿Podrías cuidar a los niños el jueves de 4 a 6? Me ayuda muchísimo.\"",
            "Pónganse de acuerdo en una señal para los días difíciles: un mensaje que quiera decir \"¿Puedes venir o llevarte a los niños un rato?\"",
            "Si puedes, ofrece algo a cambio, como turnarse para llevar a los niños a la escuela, para que sea justo para los dos.",
            "Recuerda que pedir ayuda es parte de cuidar a tu familia, no una señal de que no puedes con todo.",
        ],
        triggers: &[
            "no tener descanso de los niños",
            "citas",
            "sentir que no me alcanzan el tiempo ni la energía",
            "las vacaciones escolares",
        ],
    },
];
