package org.alongside.app.desktop

import java.nio.file.Path
import java.time.Instant
import java.time.LocalDate
import java.time.temporal.ChronoUnit
import kotlinx.coroutines.runBlocking
import org.alongside.core.TestServer
import org.alongside.core.model.Assessment
import org.alongside.core.model.CheckIn
import org.alongside.core.model.Contact
import org.alongside.core.model.ContactRole
import org.alongside.core.model.CopingUse
import org.alongside.core.model.EncounterLocation
import org.alongside.core.model.EncounterMode
import org.alongside.core.model.EncounterNote
import org.alongside.core.model.GasLevels
import org.alongside.core.model.Goal
import org.alongside.core.model.GoalArea
import org.alongside.core.model.GoalStatus
import org.alongside.core.model.Instrument
import org.alongside.core.model.Language
import org.alongside.core.model.NoteStatus
import org.alongside.core.model.Profile
import org.alongside.core.model.SafetyPlan
import org.alongside.core.model.ServiceType
import org.alongside.core.model.Sharing
import org.alongside.core.model.Urgency

/**
 * Maria, a peer worker, and four parents on her caseload, with a few weeks of
 * life on their phones, synced through a real server: Rosa (a reach-out
 * that is urgent, goals, a toolbox she uses), Dana (messages Maria has not
 * read), Keisha (a goal that needs attention) and Luis (nothing waiting).
 * The words people typed are in [language], as they would be.
 */
class Scenario(server: TestServer, dir: Path, private val language: Language, serial: Int) : AutoCloseable {
    private fun t(english: String, spanish: String) = if (language == Language.SPANISH) spanish else english

    val mariaName = "Maria"
    val maria: Phone
    val rosa: Phone
    val rosaId: String
    val goalIds = mutableListOf<String>()
    lateinit var favoriteStrategyId: String
    lateinit var noteId: String
    private val others = mutableListOf<Phone>()
    private val today = LocalDate.now()

    init {
        val suffix = "$serial${language.name.lowercase().take(2)}"
        server.addUser("maria$suffix", "peer_worker", mariaName)
        rosaId = server.addUser("rosa$suffix", "participant", "Rosa")
        server.assign("maria$suffix", "rosa$suffix")
        rosa = Phone(dir, "rosa-$suffix", server.url, language).signIn("rosa$suffix")
        maria = Phone(dir, "maria-$suffix", server.url, language)
        rosasLife()
        rosa.sync()

        for ((name, life) in listOf<Pair<String, (Phone, String) -> Unit>>("Dana" to ::danasLife, "Keisha" to ::keishasLife, "Luis" to { _, _ -> })) {
            val username = "${name.lowercase()}$suffix"
            val id = server.addUser(username, "participant", name)
            server.assign("maria$suffix", username)
            val phone = Phone(dir, "$username-phone", server.url, language).signIn(username)
            phone.core.setUpParticipant(Profile(participantId = id, displayName = name, timezone = "America/Chicago"))
            phone.core.setSharing(id, Sharing(participantId = id, goals = true, milestones = true, checkIns = true), null)
            life(phone, id)
            phone.sync()
            others += phone
        }

        maria.signIn("maria$suffix")
        val note = maria.core.draftEncounterNote(
            EncounterNote(
                participantId = rosaId,
                status = NoteStatus.DRAFT,
                occurredOn = today.minusDays(3),
                durationMinutes = 45,
                mode = EncounterMode.IN_PERSON,
                location = EncounterLocation.COMMUNITY,
                serviceTypes = listOf(ServiceType.RECOVERY_COACHING, ServiceType.FAMILY_SUPPORT),
                goalIds = goalIds.take(1),
                summary = t(
                    "Met at the library. Rosa walked the kids to school four days this week and is proud of it. Talked through evenings, the hardest time.",
                    "Nos vimos en la biblioteca. Rosa llevó a los niños a la escuela cuatro días esta semana y está orgullosa. Hablamos de las noches, el momento más difícil.",
                ),
                nextSteps = t("Call the job center together on Monday.", "Llamar juntas al centro de empleo el lunes."),
            ),
        )
        noteId = maria.core.submitEncounterNote(note.id).id
        maria.core.sendMessage(rosaId, t("How did the school run go this morning?", "¿Cómo les fue esta mañana camino a la escuela?"))
        maria.sync()
        rosa.sync()
        maria.sync()

        // Both change the job goal's description at once; Maria's, later, stands,
        // and Rosa's phone keeps hers for her to settle ("Changes not sent").
        val job = rosa.core.getGoal(goalIds[2])
        rosa.core.updateGoal(job, job.copy(description = t("Ask at the bakery on Main Street", "Preguntar en la panadería de la calle Main")))
        Thread.sleep(5)
        val seen = maria.core.getGoal(goalIds[2])
        maria.core.updateGoal(seen, seen.copy(description = t("Call the job center together on Monday", "Llamar juntas al centro de empleo el lunes")))
        rosa.sync()
        maria.sync()
        rosa.sync()
    }

    private fun rosasLife() {
        val core = rosa.core
        val me = rosaId
        core.setUpParticipant(Profile(participantId = me, displayName = "Rosa", pronouns = t("she/her", "ella"), timezone = "America/Chicago"))
        core.startRecoveryPeriod(me, today.minusDays(92), null)
        // She celebrated each milestone as it came, but the newest.
        core.today(me).toCelebrate.drop(1).forEach { core.celebrate(me, it) }
        core.createContact(
            Contact(
                participantId = me, name = "$mariaName López", role = ContactRole.PEER_WORKER, phone = "+1 312 555 0142", canText = true,
                availability = t("Weekdays, 9 to 5", "Entre semana, de 9 a 5"),
            ),
        )
        core.createContact(Contact(participantId = me, name = "Ana", role = ContactRole.FAMILY, phone = "+1 312 555 0187", canText = true, isEmergency = true))
        core.createContact(Contact(participantId = me, name = "Jim", role = ContactRole.SPONSOR, phone = "+1 312 555 0110", availability = t("Evenings", "Por las noches")))

        val walk = core.createGoal(
            Goal(
                participantId = me, title = t("Walk the kids to school", "Llevar a los niños a la escuela caminando"), area = GoalArea.PARENTING, status = GoalStatus.ACTIVE,
                gasLevels = GasLevels(
                    muchLess = t("Not at all this week", "Ningún día esta semana"),
                    less = t("One or two days", "Uno o dos días"),
                    expected = t("Three days a week", "Tres días por semana"),
                    more = t("Four days", "Cuatro días"),
                    muchMore = t("Every school day", "Todos los días de escuela"),
                ),
            ),
        )
        val meetings = core.createGoal(Goal(participantId = me, title = t("Two meetings a week", "Dos reuniones por semana"), area = GoalArea.RECOVERY, status = GoalStatus.ACTIVE))
        val job = core.createGoal(
            Goal(participantId = me, title = t("Find steady work", "Encontrar un trabajo estable"), area = GoalArea.EMPLOYMENT, status = GoalStatus.ACTIVE, targetDate = today.plusDays(60)),
        )
        goalIds += listOf(walk.id, meetings.id, job.id)
        core.recordGoalProgress(walk.id, 1, t("Four days out of five!", "¡Cuatro de cinco días!"))
        core.recordGoalProgress(meetings.id, 0, null)

        for ((daysAgo, mood, craving) in listOf(Triple(6L, 2L, 6L), Triple(4L, 3L, 4L), Triple(1L, 4L, 2L))) {
            core.createCheckIn(CheckIn(participantId = me, at = Instant.now().minus(daysAgo, ChronoUnit.DAYS), mood = mood, craving = craving))
        }

        val ranked = core.rankedStrategies(me)
        val surf = ranked.first { it.strategy.steps.size == 5 && it.strategy.category.name == "CRAVING" }.strategy
        favoriteStrategyId = surf.id
        core.updateCopingStrategy(surf, surf.copy(favorite = true))
        core.createCopingUse(CopingUse(participantId = me, strategyId = surf.id, usedAt = Instant.now().minus(2, ChronoUnit.DAYS), helpfulness = 4, cravingBefore = 7, cravingAfter = 3))
        val delay = ranked.first { it.strategy.id != surf.id && it.strategy.category.name == "CRAVING" }.strategy
        core.createCopingUse(CopingUse(participantId = me, strategyId = delay.id, usedAt = Instant.now().minus(1, ChronoUnit.DAYS), helpfulness = 5, cravingBefore = 6, cravingAfter = 2))

        val contacts = core.contacts(me)
        core.createSafetyPlan(
            SafetyPlan(
                participantId = me,
                warningSigns = listOf(t("Skipping meals", "Saltarme comidas"), t("Staying up late alone", "Quedarme despierta sola hasta tarde")),
                distractions = listOf(t("The park with the kids", "El parque con los niños"), t("Calling Ana", "Llamar a Ana")),
                environmentSteps = listOf(t("Nothing in the house", "Nada en la casa")),
                reasonsForLiving = listOf(t("My kids, Sofi and Mateo", "Mis hijos, Sofi y Mateo")),
                strategyIds = listOf(surf.id),
                helpContactIds = contacts.filter { it.role == ContactRole.FAMILY }.map { it.id },
                professionalContactIds = contacts.filter { it.role == ContactRole.PEER_WORKER }.map { it.id },
            ),
        )
        core.createAssessment(Assessment(participantId = me, instrument = Instrument.BARC10, responses = listOf(3, 4, 3, 3, 4, 3, 4, 5, 3, 4).map { it.toLong() }, takenOn = today.minusDays(30)))
        core.createAssessment(Assessment(participantId = me, instrument = Instrument.BARC10, responses = listOf(4, 4, 4, 3, 4, 4, 5, 5, 4, 5).map { it.toLong() }, takenOn = today.minusDays(1)))
        core.setSharing(me, Sharing(participantId = me, goals = true, milestones = true, checkIns = true, safetyPlan = true), today.plusDays(180))
        core.sendMessage(me, t("We made it on time today! The kids were so happy.", "¡Hoy llegamos a tiempo! Los niños estaban felices."))
        runBlocking { core.reachOut(me, Urgency.URGENT, t("Rough night. Can we talk?", "Fue una noche difícil. ¿Podemos hablar?")) }
    }

    private fun danasLife(phone: Phone, id: String) {
        phone.core.startRecoveryPeriod(id, today.minusDays(21), null)
        phone.core.sendMessage(id, t("The shelter found us a room!", "¡El albergue nos consiguió un cuarto!"))
        phone.core.sendMessage(id, t("Can you help with the school forms?", "¿Me ayudas con los papeles de la escuela?"))
    }

    private fun keishasLife(phone: Phone, id: String) {
        phone.core.startRecoveryPeriod(id, today.minusDays(200), null)
        phone.core.createGoal(Goal(participantId = id, title = t("Keep the apartment", "Conservar el apartamento"), area = GoalArea.HOUSING, status = GoalStatus.ACTIVE, gasScore = -1))
        phone.core.createCheckIn(CheckIn(participantId = id, at = Instant.now().minus(2, ChronoUnit.DAYS), mood = 3, craving = 3))
    }

    override fun close() {
        (others + rosa + maria).forEach { it.close() }
    }
}
