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
