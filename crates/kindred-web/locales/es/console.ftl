# La consola de coordinación (solo personas coordinadoras).

console-nav-label = Consola
console-nav-queue = Solicitudes abiertas
console-nav-review = Emparejamientos por revisar
nav-console = Consola
console-queue-title = Solicitudes abiertas
console-queue-intro = Todas las personas que esperan mentoría, primero quien lleva más tiempo. Abre una solicitud para ver el perfil y las personas mentoras que mejor encajan.
console-queue-empty = Nadie espera mentoría.
console-asked = Pedida el { $date }
console-waiting-days = { $days ->
    [one] espera desde hace 1 día
   *[other] espera desde hace { $days } días
}
console-required = La persona mentora debe compartir: { $tags }
console-more = Mostrar más
console-request-title = Solicitud de { $name }
console-request-not-open = Esta solicitud ya no está abierta: no se proponen personas mentoras.
console-request-heading = Qué ha pedido
console-required-term = La persona mentora debe compartir
console-excluded-term = Que no sea de
console-note-term = Nota
console-reason-term = Motivo
console-none = Nada
console-profile-heading = Su perfil
console-no-profile = Todavía no tiene perfil.
console-public-tags = Experiencias (las ve la persona emparejada)
console-private-tags = Experiencias privadas
console-private-means = (privadas: se usan para emparejar y nunca se muestran a su mentor o mentee)
console-languages = Idiomas
console-earlier-reports-term = Cuenta anterior
console-earlier-reports = { $count ->
    [one] Una cuenta anterior con este correo recibió una denuncia.
   *[other] Una cuenta anterior con este correo recibió { $count } denuncias.
}
console-suggestions-heading = Personas mentoras que mejor encajan
console-no-suggestions = Ahora no encaja ninguna persona mentora que acepte nuevas personas.
console-score = Puntuación { $score }
console-explanation-caption = Por qué encaja { $name }
console-explanation-total = Cómo se forma la puntuación de { $total }
console-col-component = Parte
console-col-points = Puntos
console-col-detail = Detalle
console-private-component = privada: solo coordinación
console-private-component-means = Una parte marcada como privada cuenta experiencias privadas compartidas. Solo la ve el equipo de coordinación; la persona mentora y la mentee ven las demás partes y su suma.
console-propose = Proponer a { $name } como mentor o mentora
console-review-title = Emparejamientos
console-states-label = Emparejamientos por estado
console-state-proposed = Propuestos, por revisar
console-state-awaiting_mentor = Esperan a la persona mentora
console-state-active = Activos
console-state-declined = Rechazados por la persona mentora
console-state-rejected = Descartados
console-state-expired = Caducados
console-state-ended = Terminados
console-state-is = Estado: { $state }
console-pair = { $mentor } y { $mentee }
console-proposed-on = propuesto el { $date }
console-matches-empty = No hay emparejamientos en este estado.
console-request-link = La solicitud
console-why-heading = Por qué este emparejamiento
console-mentor-heading = Mentor o mentora: { $name }
console-mentee-heading = Mentee: { $name }
console-decide-heading = Tu decisión
console-approve-hint = Al aprobarlo se envía a la persona mentora, que lo acepta o lo rechaza.
console-approve = Aprobar y preguntar a la persona mentora
console-field-reject-reason = Motivo del descarte
console-reject-hint = Solo lo lee el equipo de coordinación. La solicitud vuelve a la cola y esta pareja no se vuelve a proponer.
console-reject = Descartar
console-notice-proposed = El emparejamiento está propuesto. Revísalo abajo.
console-notice-approved = Aprobado: se ha preguntado a la persona mentora.
console-notice-rejected = Descartado: la solicitud vuelve a la cola.
console-problem-changed = Este emparejamiento o solicitud cambió entretanto; así está ahora.
console-nav-runs = Rondas de emparejamiento
console-runs-title = Rondas de emparejamiento
console-runs-intro = Una ronda empareja cada solicitud abierta con las personas mentoras que aceptan nuevas personas y tienen sitio. Obtén primero una vista previa: la prueba muestra quién quedaría emparejado y lo justo que es el resultado, sin guardar nada.
console-run-mode-legend = Cómo emparejar
console-run-mode-optimal = La mayor puntuación total (óptimo)
console-run-mode-stable = Sin mentee y mentor que se prefieran mutuamente a lo asignado (estable)
console-run-dry = Vista previa (prueba)
console-run-dry-title = Prueba: el informe
console-run-title = Ronda de emparejamiento: el informe
console-run-summary = Modo { $mode }, { $date }, { $ms } ms.
console-run-dry-means = No se ha guardado nada: no se ha propuesto ningún emparejamiento ni se ha avisado a nadie.
console-run-requests = Solicitudes abiertas
console-run-matched = Emparejadas
console-run-unmatched = Sin emparejar
console-run-no-feasible = { $count ->
    [one] 1 sin ninguna persona mentora que encaje
   *[other] { $count } sin ninguna persona mentora que encaje
}
console-run-mentors = Personas mentoras con sitio
console-run-mentors-detail = { $count } en total: { $idle } sin nueva mentee, { $full } ahora al límite
console-run-categories-title = Emparejadas y sin emparejar, por tipo de experiencia
console-run-category = Tipo de experiencia
console-run-load-title = Nuevas mentees por persona mentora
console-run-new-mentees = Nuevas mentees
console-run-mentor-count = Personas mentoras
console-run-scores-title = Puntuaciones de las parejas emparejadas
console-run-score-range = Puntuación
console-run-pair-count = Parejas
console-run-no-scores = No se ha emparejado ninguna pareja.
console-run-totals-title = Puntuación total por método
console-run-method = Método
console-run-total-score = Puntuación total
console-run-optimal = Óptimo
console-run-stable = Estable
console-run-greedy = Voraz (primero la mejor pareja)
console-run-real-heading = Ejecutar de verdad
console-run-real-hint = La ronda se calcula de nuevo con las solicitudes y personas mentoras tal como están ahora, y cada pareja pasa a ser una propuesta que revisarás.
console-run-real = Ejecutar de verdad
console-run-proposals-heading = Sus propuestas
console-run-pending = { $count ->
    [one] 1 propuesta de esta ronda espera revisión.
   *[other] { $count } propuestas de esta ronda esperan revisión.
}
console-run-review-link = Revisarlas una a una
console-run-approve-all-link = { $count ->
    [one] Aprobarla
   *[other] Aprobar las { $count }
}
console-run-none-pending = Ninguna propuesta de esta ronda espera revisión.
console-approve-all-title = Aprobar las propuestas de la ronda
console-approve-all-body = { $count ->
    [one] 1 propuesta irá a su persona mentora, que recibe un correo y la acepta o la rechaza.
   *[other] { $count } propuestas irán a sus personas mentoras, que reciben un correo y las aceptan o las rechazan.
} Una propuesta que ya no se pueda aprobar (porque el sitio de la persona mentora se ocupó entretanto) sigue esperando revisión.
console-approve-all-confirm = { $count ->
    [one] Sí, aprobar 1 propuesta
   *[other] Sí, aprobar { $count } propuestas
}
console-approve-all-cancel = No, volver al informe
console-notice-approved-all = Se han aprobado las propuestas de la ronda. Las que no se pudieron aprobar siguen esperando revisión.
console-nav-health = Salud del programa
console-health-title = Salud del programa
console-health-intro = Cómo va el programa, semana a semana. Para proteger a los grupos pequeños, no se muestra ninguna cifra sobre menos de 5 personas.
console-health-from = Desde
console-health-to = Hasta
console-health-date-hint = Fechas como AAAA-MM-DD. El intervalo se amplía a semanas completas (de lunes a domingo), como mucho 104 semanas.
console-health-show = Mostrar
console-health-range = Semanas del { $from } al { $to }.
console-health-requests = Solicitudes por semana
console-health-started = Emparejamientos iniciados por semana
console-health-ended = Emparejamientos terminados por semana
console-health-median = Mediana de horas desde la solicitud hasta el emparejamiento
console-health-acceptance = Emparejamientos aceptados por personas mentoras, porcentaje de respuestas
console-health-reasons = Por qué terminaron antes de tiempo (en 90 días)
console-health-unmatched = Esperan sin emparejamiento, por tipo de experiencia
console-health-no-unmatched = Nadie espera sin emparejamiento.
console-health-week = Semana desde
console-health-count = Personas
console-health-hours = Horas
console-health-rate = Aceptados
console-health-reason = Motivo
console-health-other-reasons = Otros motivos (cada uno, menos de 5)
console-health-fewer = menos de 5
console-health-not-shown = no se muestra (menos de 5 personas)
console-health-small-cells = Una cifra sobre 1 a 4 personas aparece como «menos de 5»; una mediana o un porcentaje sobre menos de 5 personas no se muestra.
console-nav-safety = Bandeja de seguridad
console-safety-title = Bandeja de seguridad
console-safety-intro = Denuncias y seguimientos que pidieron apoyo, primero lo más reciente. Actúa en cada caso (abre el emparejamiento para terminarlo) y márcalo como atendido.
console-safety-states-label = Elementos de la bandeja por estado
console-safety-state-open = Por atender
console-safety-state-handled = Atendidos
console-safety-state-all = Todos
console-safety-reported = { $reporter } denunció a { $about }
console-safety-needs-support = { $name } pidió apoyo en un seguimiento
console-safety-erased = Una cuenta eliminada
console-safety-match = { $mentor } y { $mentee } ({ $state })
console-safety-open-match = Abrir el emparejamiento: { $words }
console-safety-can-end = Allí se puede terminar.
console-safety-rating = valoración { $rating } de 5
console-safety-handled-by = Atendido por { $name } el { $date }.
console-safety-mark-handled = Marcar como atendido
console-safety-reopen = Volver a abrir
console-safety-empty = No hay nada aquí.
console-notice-handled = Marcado como atendido.
console-notice-reopened = Abierto de nuevo.
console-notice-ended = El emparejamiento ha terminado; se ha avisado a las dos personas.
console-end-heading = Terminar este emparejamiento
console-field-end-reason = Motivo para terminarlo
console-end-hint = Lo leen las dos personas y el equipo de coordinación.
console-end = Terminar el emparejamiento
console-filter-category = Tipo de experiencia
console-filter-any = Cualquiera
console-filter-language = Habla
console-filter-language-hint = Un código de idioma, p. ej. es o pt-BR.
console-filter-waiting = Espera desde hace más de (días)
console-filter-apply = Filtrar
console-filter-clear = Mostrar todas
console-queue-none-match = Ninguna solicitud abierta cumple estos filtros.
console-nav-admin = Administración
console-admin-title = Administración
console-tags-heading = Experiencias ofrecidas (etiquetas)
console-tags-intro = Las experiencias que las personas pueden elegir en su perfil. Una etiqueta retirada se queda en los perfiles que la tienen, pero ya no se ofrece.
console-tag-is-sensitive = sensible
console-tag-is-retired = retirada
console-tag-edit = Editar «{ $label }»
console-tag-add-heading = Añadir una etiqueta
console-tag-slug = Nombre corto (slug)
console-tag-slug-hint = Minúsculas, cifras y guiones, p. ej. turno-de-noche. No se puede cambiar después.
console-tag-slug-taken = Este nombre corto ya se usa.
console-tag-label = Texto
console-tag-category = Tipo de experiencia
console-tag-sensitive = Sensible (salud, sexualidad, abuso…): las personas deben consentir antes de que se guarde
console-tag-add = Añadir la etiqueta
console-tag-edit-title = Etiqueta { $slug }
console-tag-retired = Retirada: ya no se ofrece
console-tag-retired-hint = Los perfiles que la tienen la conservan; desmárcala para ofrecerla de nuevo.
console-tag-save = Guardar la etiqueta
console-tag-back = Volver a administración
console-dead-jobs-heading = Tareas que fallaron definitivamente
console-no-dead-jobs = Ninguna tarea falló definitivamente.
console-dead-emails-heading = Correos que no se pudieron entregar
console-no-dead-emails = Todos los correos se entregaron o se siguen intentando.
console-last-error = Último error: { $error }
console-retry-job = Volver a intentar la tarea { $kind }
console-retry-email = Volver a enviar el correo a { $to }
console-notice-tag-added = Se ha añadido la etiqueta.
console-notice-tag-saved = Se ha guardado la etiqueta.
console-notice-retried = Se volverá a intentar.
