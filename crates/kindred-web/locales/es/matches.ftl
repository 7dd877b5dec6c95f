# Emparejamientos, seguimientos, bloqueos y denuncias, y el resumen del inicio (es).
# Cada id de aquí existe también en en/matches.ftl.

## El estado de un emparejamiento y qué pasa después
matches-state-label = Estado:
matches-state-awaiting = Esperando la respuesta de la persona mentora
matches-state-active = Activo
matches-state-declined = Rechazado por la persona mentora
matches-state-expired = Caducado: la persona mentora no respondió a tiempo
matches-state-ended = Terminado
matches-state-proposed = En revisión por el equipo de coordinación
matches-state-rejected = No aprobado por el equipo de coordinación
matches-state-unknown = Desconocido
matches-next-awaiting-mentee = Hemos pedido a { $partner } que sea tu persona mentora. Tiene hasta el { $date } para responder ({ $days ->
    [one] queda un día
   *[other] quedan { $days } días
}). En cuanto acepte, enviaremos a las dos personas un correo de presentación con los datos de contacto. Si no puede, tu solicitud vuelve al equipo de coordinación, que buscará a otra persona.
matches-next-awaiting-mentor = Te han emparejado con { $partner }, que espera tu respuesta. Acepta o rechaza antes del { $date } ({ $days ->
    [one] queda un día
   *[other] quedan { $days } días
}). Si no respondes a tiempo, el emparejamiento caduca y el equipo de coordinación buscará a otra persona para { $partner }.
matches-next-active-mentee = Ahora formas equipo con { $partner }. Más abajo verás la dirección de correo de { $partner }. Cuéntale de vez en cuando al equipo de coordinación cómo va. Cualquiera de las dos personas puede terminar el emparejamiento en cualquier momento.
matches-next-active-mentor = Acompañas a { $partner } como persona mentora. Más abajo verás la dirección de correo de { $partner }. Cuéntale de vez en cuando al equipo de coordinación cómo va. Cualquiera de las dos personas puede terminar el emparejamiento en cualquier momento.
matches-next-declined-mentee = { $partner } no ha podido aceptar este emparejamiento. Tu solicitud vuelve a estar abierta y el equipo de coordinación buscará otra persona mentora para ti.
matches-next-declined-mentor = Rechazaste este emparejamiento. La solicitud de { $partner } ha vuelto al equipo de coordinación. No necesitas hacer nada más.
matches-next-expired-mentee = { $partner } no respondió a tiempo. Tu solicitud vuelve a estar abierta y el equipo de coordinación buscará otra persona mentora para ti.
matches-next-expired-mentor = No respondiste a tiempo, así que este emparejamiento caducó. La solicitud de { $partner } ha vuelto al equipo de coordinación.
matches-next-ended-mentee = Este emparejamiento ha terminado. Si quieres otra persona mentora, puedes volver a pedirla.
matches-next-ended-mentor = Este emparejamiento ha terminado. Gracias por el apoyo que has dado.
matches-next-proposed = El equipo de coordinación está revisando este emparejamiento.
matches-next-rejected = El equipo de coordinación no aprobó este emparejamiento.
matches-next-unknown = Ahora mismo no necesitas hacer nada.
matches-reason-label = Motivo:
matches-reason-safety = Cerrado por motivos de seguridad: bloqueaste a esta persona.
matches-reason-closed = El emparejamiento se cerró.
matches-reason-account-deleted = La otra persona eliminó su cuenta.

## Por qué se propuso un emparejamiento (solo sus motivos públicos)
matches-why-heading = Por qué se propuso este emparejamiento
matches-why-base = Tienen lo básico en común: un idioma y una forma de reunirse, y la región y los horarios en los que pueden coincidir.
matches-why-shared = Experiencias que indican las dos personas:
matches-why-availability = Sus horarios libres de la semana coinciden.
matches-why-timezone = Vuestras zonas horarias están cerca.

## Tus emparejamientos
matches-list-title = Tus emparejamientos
matches-list-intro = Las personas con las que te han emparejado, como persona mentorizada y como persona mentora. Los datos de contacto solo aparecen cuando el emparejamiento está activo.
matches-current-heading = Actuales
matches-earlier-heading = Anteriores
matches-none-current = No tienes ningún emparejamiento actual.
matches-ask-link = Pedir una persona mentora
matches-more = Ver más emparejamientos
matches-with = Emparejamiento con { $partner }
matches-you-are-mentor = Tú eres la persona mentora.
matches-you-are-mentee = Tú eres la persona mentorizada.
matches-since = Propuesto el { $date }.

## Un emparejamiento
matches-back-to-list = Volver a tus emparejamientos
matches-back-to-match = Volver a tu emparejamiento con { $partner }
matches-detail-title = Tu emparejamiento con { $partner }
matches-answer-heading = Tu respuesta
matches-answer-intro = Lee más abajo sobre { $partner } y después acepta o rechaza el emparejamiento.
matches-accept-submit = Aceptar este emparejamiento
matches-field-decline-reason = ¿Por qué lo rechazas?
matches-field-decline-reason-hint = Solo lo lee el equipo de coordinación. A { $partner } solo se le dice que no has podido aceptar el emparejamiento.
matches-decline-submit = Rechazar este emparejamiento
matches-together-heading = Trabajar en equipo
matches-check-in-link = Seguimiento: cuenta al equipo de coordinación cómo va
matches-end-link = Terminar este emparejamiento
matches-partner-heading = Sobre { $partner }
matches-card-name = Nombre
matches-card-pronouns = Pronombres
matches-card-contact = Dirección de correo
matches-card-contact-hidden = Se muestra cuando el emparejamiento está activo.
matches-card-bio = Sobre esta persona
matches-card-tags = Experiencias que indica
matches-card-languages = Idiomas
matches-card-timezone = Zona horaria
matches-safety-heading = ¿Algo te hace sentir mal?
matches-safety-intro = Puedes bloquear o denunciar a cualquier persona con la que te emparejen, en cualquier momento.
matches-block-link = Bloquear a { $partner }
matches-report-link = Denunciar a { $partner }
matches-cancel = Cancelar
matches-problem-heading = No se ha podido hacer
matches-problem-changed = Este emparejamiento ha cambiado mientras tanto, así que no se ha hecho nada. Más abajo ves su estado actual.
matches-problem-not-allowed = No puedes hacer esto con este emparejamiento, así que no se ha cambiado nada.

## Terminar un emparejamiento
matches-end-title = Terminar tu emparejamiento con { $partner }
matches-end-intro = Al terminar el emparejamiento se cierra para las dos personas y no se puede volver a abrir. { $partner } y el equipo de coordinación verán que ha terminado y el motivo que des.
matches-field-end-reason = ¿Por qué terminas el emparejamiento?
matches-field-end-reason-hint = { $partner } y el equipo de coordinación pueden leerlo. Basta con una o dos frases.
matches-end-submit = Terminar el emparejamiento
matches-end-not-active = Solo se puede terminar un emparejamiento activo.

## Avisos después de una acción
matches-notice-accepted = Has aceptado el emparejamiento. Ya pueden ver la dirección de correo de la otra persona y les hemos enviado un correo de presentación.
matches-notice-declined = Has rechazado el emparejamiento. Gracias por responder.
matches-notice-ended = El emparejamiento ha terminado.
matches-notice-blocked = Has bloqueado a esta persona. Nunca más se les propondrá juntas.

## Errores en estos formularios
matches-err-reason-required = Indica un motivo.
matches-err-rating = Elige cómo va, del 1 al 5.
matches-err-report-reason = Describe lo que pasó, en 5000 caracteres como máximo.

## Seguimientos
checkin-title = Seguimiento de tu emparejamiento con { $partner }
checkin-intro = Cuéntanos cómo va tu emparejamiento. Solo tú y el equipo de coordinación ven tus respuestas; { $partner } no.
matches-field-rating = ¿Cómo va?
checkin-rating-1 = 1 – Muy difícil
checkin-rating-2 = 2 – Difícil
checkin-rating-3 = 3 – Regular
checkin-rating-4 = 4 – Bien
checkin-rating-5 = 5 – Muy bien
matches-field-checkin-note = ¿Quieres añadir algo?
matches-field-checkin-note-hint = Solo tú y el equipo de coordinación pueden leerlo.
matches-field-needs-support = Necesito apoyo
matches-field-needs-support-hint = Se avisa enseguida al equipo de coordinación, que se pondrá en contacto contigo. Los recursos de apoyo se muestran en cuanto lo envíes.
checkin-submit = Enviar el seguimiento
checkin-not-active = Los seguimientos son para emparejamientos activos.
checkin-sent-title = Gracias por contarnos cómo va
checkin-sent-body = Tu seguimiento se ha guardado. Solo tú y el equipo de coordinación pueden verlo.
checkin-support-title = Has pedido apoyo
checkin-support-told = Hemos avisado al equipo de coordinación y una persona del equipo se pondrá en contacto contigo. Si necesitas ayuda antes, estos servicios pueden ayudarte ahora.
checkin-back = Volver a tu emparejamiento
checkin-report-link = Denunciar un problema con este emparejamiento

## Bloquear
block-title = Bloquear a { $partner }
block-what-heading = Qué hace el bloqueo
block-effect-never = Nunca más se les propondrá juntas a { $partner } y a ti, ni como emparejamiento ni en el mismo círculo de apoyo entre pares.
block-effect-closes = Si este emparejamiento aún espera respuesta o está activo, se cierra ahora y los datos de contacto vuelven a ocultarse.
block-effect-not-told = A { $partner } no se le comunica el bloqueo; solo ve que el emparejamiento se cerró.
block-effect-final = Un bloqueo no se puede deshacer desde la aplicación.
block-report-too = Si hizo algo que te preocupó, también puedes contárselo al equipo de coordinación:
matches-block-submit = Bloquear a { $partner }
block-submit-label = Bloqueo

## Denunciar
report-title = Denunciar a { $partner }
report-intro = Cuenta al equipo de coordinación lo que pasó. El equipo lee cada denuncia y decide qué hacer.
report-danger = Si estás en peligro ahora, no esperes una respuesta: llama al número de emergencias local.
matches-field-report-reason = ¿Qué pasó?
matches-field-report-reason-hint = Solo lo lee el equipo de coordinación; a { $partner } no se le comunica la denuncia. Cuenta qué pasó y cuándo, en la medida en que te sientas capaz.
report-submit = Enviar la denuncia
report-sent-title = Gracias por contárnoslo
report-next-heading = Qué pasa ahora
report-next-alerted = Hemos avisado al equipo de coordinación, que leerá tu denuncia.
report-next-not-told = A la persona denunciada no se le comunica la denuncia.
report-next-contact = Puede que una persona del equipo de coordinación te escriba para pedirte más detalles o contarte qué se ha hecho.
report-block-offer = Si no quieres tener más contacto con esa persona, también puedes bloquearla.
report-block-link = Bloquear a esta persona
report-support-heading = Apoyo para ti

## Inicio: qué está pasando ahora
matches-home-now-heading = Ahora mismo
matches-home-to-answer = { $partner } espera tu respuesta hasta el { $date } ({ $days ->
    [one] queda un día
   *[other] quedan { $days } días
}).
matches-home-answer-link = Responder a { $partner }
matches-home-active-mentor = Acompañas a { $partner } como persona mentora.
matches-home-active-mentee = { $partner } es tu persona mentora.
matches-home-check-in-link = Seguimiento de tu emparejamiento con { $partner }
matches-home-waiting = Hemos pedido a { $partner } que sea tu persona mentora; tiene hasta el { $date } para responder.
matches-home-request-open = Pediste una persona mentora el { $date }. El equipo de coordinación está buscando un buen emparejamiento para ti.
matches-home-request-link = Tu solicitud
matches-home-nothing = Ahora mismo no hay nada que necesite tu atención.
matches-home-pages-heading = Tus páginas
matches-home-profile-hint = lo que compartes sobre ti y lo que se queda en privado
matches-home-request-page = Tu solicitud de persona mentora
matches-home-request-hint = pide una persona mentora, o consulta o retira tu solicitud
matches-home-matches-hint = las personas con las que te han emparejado, seguimientos, bloqueos y denuncias
matches-home-settings-hint = correos y tu cuenta
