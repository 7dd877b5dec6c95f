# Correos de Kindred — español. Cada id existe también en en/emails.ftl.
# Las partes de texto y HTML usan los mismos mensajes; lo que escriben las
# personas va en argumentos, nunca dentro de un mensaje.

## Comunes
hello = Hola:
hi = Hola, { $name }:
field-match = Emparejamiento
link-open-match = Abrir el emparejamiento
shared = Lo que compartís
respond-by = Fecha límite para responder
accept-or-decline = Aceptar o rechazar

## Listas, duraciones y fechas
# «a, b y c»: $init es «a, b». La segunda forma va delante de una palabra que
# empieza por sonido i («y» pasa a ser «e»).
list-and = { $init } y { $last }
list-and-before-i = { $init } e { $last }
duration-seconds = { $count ->
    [one] { $count } segundo
   *[other] { $count } segundos
}
duration-minutes = { $count ->
    [one] { $count } minuto
   *[other] { $count } minutos
}
duration-hours = { $count ->
    [one] { $count } hora
   *[other] { $count } horas
}
duration-days = { $count ->
    [one] { $count } día
   *[other] { $count } días
}
date-utc = { $weekday } { $day } de { $month } de { $year }, { $time } UTC
date-local = { $weekday } { $day } de { $month }, { $time } ({ $zone })
weekday-mon = lunes
weekday-tue = martes
weekday-wed = miércoles
weekday-thu = jueves
weekday-fri = viernes
weekday-sat = sábado
weekday-sun = domingo
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre

## Código de verificación (a una dirección que nadie ha confirmado: sin texto de quien se registra)
verification-subject = Tu código de verificación de Kindred
verification-intro = Te damos la bienvenida a Kindred. Para terminar de crear tu cuenta, introduce este código:
verification-code = Código de verificación
verification-expiry = El código solo se puede usar una vez y caduca en { $duration }. Si no has intentado crear una cuenta en Kindred, puedes ignorar este correo: no se crea ninguna cuenta sin el código.

## Alguien ha registrado una dirección que ya tiene cuenta
registered-subject = Alguien ha intentado registrarse con tu dirección de correo
registered-intro = Alguien ha intentado crear una cuenta nueva de Kindred con esta dirección de correo. Ya tienes una cuenta, así que no se ha creado ninguna nueva.
registered-if-you = Si has sido tú, inicia sesión con la cuenta que ya tienes. Si has olvidado tu contraseña, elige una nueva en { $route } o pide ayuda a la persona que coordina tu programa.
registered-if-not = Si no has sido tú, puedes ignorar este correo: nada de tu cuenta ha cambiado.

## Código para restablecer la contraseña
reset-subject = Tu código para restablecer la contraseña de Kindred
reset-intro = Alguien ha pedido restablecer la contraseña de la cuenta de Kindred con esta dirección de correo. Para elegir una contraseña nueva, introduce este código:
reset-code = Código para restablecer
reset-expiry = El código solo se puede usar una vez y caduca en { $duration }. Al restablecer la contraseña se cierran todas tus sesiones. Si no lo has pedido, puedes ignorar este correo: tu contraseña no ha cambiado.

## Invitación: una importación de la coordinación ha creado una cuenta
invite-subject = Te invitamos a Kindred
invite-intro = La persona que coordina tu programa ha creado una cuenta de Kindred para ti con esta dirección de correo, { $role ->
    [mentor] como persona mentora.
   *[mentee] como persona que busca mentoría.
}
invite-code = Código de invitación
invite-accept-link = Aceptar la invitación
invite-how = En esa página, introduce esta dirección de correo, el código y una contraseña que elijas; después habrás iniciado sesión.
invite-expiry = El código solo se puede usar una vez y caduca en { $duration }.
invite-consent = Las etiquetas privadas y las de experiencias sensibles que añadió la coordinación no se usan para emparejar hasta que digas que sí: la página siguiente te las muestra y te lo pregunta.
invite-apps = Las aplicaciones pueden usar { $confirm } con el código y después { $consent }.
invite-not-you = Si no esperabas este correo, puedes ignorarlo: nadie puede entrar en la cuenta sin el código.

## A una persona mentora: una propuesta espera respuesta
notice-subject = Una nueva propuesta de mentoría de Kindred espera tu respuesta
notice-intro = Kindred te propone como persona mentora de { $partner }. Échale un vistazo y acepta o rechaza la propuesta.
notice-why = Por qué te proponemos este emparejamiento
notice-declining = Puedes rechazarla sin problema y nadie sabrá por qué: se ofrecerá otra persona mentora a quien busca mentoría. Si no respondes a tiempo, la propuesta caduca.

## Por qué se propuso un emparejamiento (solo las partes públicas de la explicación)
why-base = Cumplís todos los requisitos imprescindibles (idioma, forma de reuniros, etiquetas obligatorias, región y disponibilidad).
why-shared = Compartís { $tags }; las experiencias compartidas menos frecuentes cuentan más.
why-no-shared = No compartís ninguna experiencia que hayáis hecho pública.
why-overlap = Vuestra disponibilidad semanal coincide durante { $hours } h { $minutes } min.
why-same-offset = Tenéis la misma diferencia horaria con UTC.
why-timezones = Vuestras zonas horarias se diferencian en { $hours } h { $minutes } min.
why-waiting = La solicitud lleva { $days } días esperando.
why-load = Sería la persona número { $number } a la que acompaña la persona mentora; cada persona adicional resta más.

## Recordatorio a una persona mentora
reminder-subject = Recordatorio: una propuesta de mentoría de Kindred espera tu respuesta
reminder-intro = Todavía no has respondido a la propuesta de ser la persona mentora de { $partner }.
reminder-pause = Si ahora no es buen momento, puedes rechazarla sin problema. Si ya no puedes hacer mentorías, pausa tu disponibilidad en tu perfil.

## Una propuesta ha caducado
expired-subject = Una propuesta de mentoría de Kindred ha caducado
expired-intro = La propuesta de ser la persona mentora de { $partner } ha caducado porque no recibimos respuesta a tiempo, así que se le ofrecerá otra persona mentora. No tienes que hacer nada.
expired-pause = Si vas a tener poco tiempo durante una temporada, pausa tu disponibilidad para que no te propongamos mentorías nuevas hasta que te venga bien.
expired-link = Tu disponibilidad
expired-coordinator-subject = Kindred: el emparejamiento { $id } ha caducado sin respuesta
expired-coordinator-intro = La persona mentora no respondió a la propuesta de emparejamiento { $id } en { $duration }. La persona mentorizada vuelve a entrar en el emparejamiento.

## Presentación
intro-subject = Conoce a la persona con la que te ha emparejado Kindred
intro-meet = Te presentamos a { $partner }: desde ahora compartís una mentoría en Kindred.
intro-meet-pronouns = Te presentamos a { $partner } ({ $pronouns }): desde ahora compartís una mentoría en Kindred.
intro-email = Correo de { $partner }
intro-first-steps = Primeros pasos
intro-step-hello = Envía a { $partner } un saludo breve por correo y propón dos horarios para una primera llamada.
intro-step-agree = Acuerden cada cuánto se van a ver, cómo prefiere cada persona que la contacten y qué temas quedan fuera.
intro-step-hopes = Hablen de lo que cada persona espera de la mentoría.
intro-first-meeting = Primera reunión propuesta
intro-calendar = Es un horario en el que las dos personas están disponibles. La invitación de calendario adjunta lo añade junto con sus seguimientos periódicos; cámbialo si no te viene bien.
intro-no-slot = No hemos encontrado un horario en el que las dos personas estéis disponibles, así que acordad la primera reunión por correo.
intro-checkins = Seguimientos
intro-after = Después de cada reunión te preguntaremos qué tal fue. Solo la persona que coordina tu programa ve las respuestas.
ics-summary = Seguimiento de Kindred
ics-description = Un seguimiento periódico de Kindred con { $partner }. Cámbienlo al horario que mejor les venga.
ics-with = Con

## Recordatorio de seguimiento
checkin-subject = Es hora de tu seguimiento de Kindred
checkin-intro = ¿Qué tal va todo con { $partner }? Responder lleva un minuto y ayuda a la persona que coordina tu programa a apoyaros.
checkin-link = Responder al seguimiento

## Al equipo de coordinación
stalled-subject = Kindred: el emparejamiento { $id } lleva tiempo sin actividad
stalled-intro = Nadie del emparejamiento { $id } ha respondido a un seguimiento en { $duration }. Puede ser buena idea contactar con las dos personas.
report-subject = Kindred: se ha recibido una denuncia nueva
report-intro = Alguien ha usado «Denunciar un problema». Revísalo lo antes posible; si describe un peligro inmediato, sigue el protocolo de protección de tu programa.
report-field = Denuncia
report-kept = Lo denunciado se queda en Kindred: abre la denuncia para leerlo.
report-link = Revisar la denuncia
support-subject = Kindred: un seguimiento del emparejamiento { $id } pide apoyo
support-intro = La respuesta de seguimiento de una persona participante indica que le gustaría recibir apoyo del equipo de coordinación.
support-rating = Valoración
digest-subject = Resumen de coordinación de Kindred
digest-nothing = Hoy no hay nada que requiera tu atención.
digest-something = Esto es lo que requiere atención en Kindred.
digest-pending = Propuestas de emparejamiento que esperan tu revisión
digest-waiting = Personas mentorizadas que llevan mucho tiempo esperando un emparejamiento
digest-stalled = Emparejamientos sin actividad
digest-dead = Tareas en segundo plano que han fallado definitivamente (correos no enviados)
digest-link = Abrir el panel de coordinación

## El resumen que sustituye a las alertas de coordinación cuando llegan en avalancha (solo recuentos)
summary-report-subject = Kindred: { $count ->
    [one] { $count } denuncia más
   *[other] { $count } denuncias más
} desde la última alerta
summary-report-intro = Desde la última alerta { $count ->
    [one] ha llegado { $count } denuncia más. Para que tu bandeja de entrada siga siendo manejable, no se ha enviado por separado
   *[other] han llegado { $count } denuncias más. Para que tu bandeja de entrada siga siendo manejable, no se han enviado una a una
}: Kindred envía como máximo una alerta de este tipo cada { $duration } mientras sigan llegando.
summary-review = Revisa lo que ha llegado lo antes posible; si algo describe un peligro inmediato, sigue el protocolo de protección de tu programa.
summary-report-link = Revisar las denuncias
summary-support-subject = Kindred: { $count ->
    [one] { $count } seguimiento más pide
   *[other] { $count } seguimientos más piden
} apoyo desde la última alerta
summary-support-intro = Desde la última alerta { $count ->
    [one] ha llegado { $count } seguimiento más que pide apoyo. Para que tu bandeja de entrada siga siendo manejable, no se ha enviado por separado
   *[other] han llegado { $count } seguimientos más que piden apoyo. Para que tu bandeja de entrada siga siendo manejable, no se han enviado uno a uno
}: Kindred envía como máximo una alerta de este tipo cada { $duration } mientras sigan llegando.
summary-support-link = Abrir los seguimientos que piden apoyo

## Círculos de apoyo entre pares (comunes). Los asuntos no nombran a nadie ni ningún tema.
# «cada lunes, de 18:00 a 19:30 (CET)»: una hora cada $weeks semanas en la zona de quien lee.
weekly-slot = { $weeks ->
    [one] cada { $weekday }
   *[other] cada { $weeks } semanas, el { $weekday }
}, de { $start } a { $end } ({ $zone })
circle-topics = Temas
circle-facilitator = Persona facilitadora
circle-language = Idioma
circle-mode = Modalidad
circle-mode-online = En línea (videollamada o chat)
circle-mode-in-person = En persona, en { $region }
circle-mode-in-person-anywhere = En persona
circle-mode-phone = Por teléfono
circle-when = Horario
circle-link = Abrir el círculo
circle-console-link = Abrir el círculo en el panel de coordinación
circle-request-link = Pedir unirte a un círculo
circle-details = Datos de la reunión, de tu persona facilitadora

## A una persona invitada
circle-invite-subject = Te invitamos a un círculo de apoyo entre pares de Kindred
circle-invite-intro = { $facilitator } va a facilitar un nuevo círculo de apoyo entre pares en Kindred y te invitamos a unirte. Un círculo es un grupo pequeño que se reúne con regularidad, con una persona facilitadora formada para ello, para compartir experiencias en común.
circle-agreement = El acuerdo del grupo
circle-agreement-intro = Al unirte, te comprometes a:
circle-agree-confidential = Guardar la confidencialidad de lo que comparten las demás personas: lo que se dice en el círculo se queda en el círculo.
circle-agree-respect = Usar los nombres y pronombres que pide cada persona y tratar a todo el mundo con respeto.
circle-agree-own = Compartir desde tu propia experiencia. En el círculo nadie da consejos que sustituyan la ayuda profesional (médica, psicológica, legal o de otro tipo).
circle-agree-concern = Si algo te preocupa, díselo a la persona facilitadora o usa «Denunciar» en la aplicación para contárselo en privado al equipo de coordinación.
circle-join-link = Leer el acuerdo y unirte
circle-invite-apps = Las aplicaciones pueden unirse con { $route }, aceptando el acuerdo del grupo.
circle-invite-choice = Unirte es decisión tuya: si no respondes a tiempo, tu plaza se ofrecerá a otra persona. Una vez dentro, puedes dejar el círculo cuando quieras.

## A la persona facilitadora de un círculo aprobado
circle-facilitate-subject = Se ha aprobado un círculo de Kindred para que lo facilites
circle-facilitate-intro = El equipo de coordinación ha aprobado un círculo de apoyo entre pares para que lo facilites. Hemos invitado a { $count ->
    [one] { $count } persona.
   *[other] { $count } personas.
}
circle-facilitate-start = Puedes iniciar el círculo cuando se { $count ->
    [one] haya unido al menos { $count } persona
   *[other] hayan unido al menos { $count } personas
}: en la página del círculo, añade los datos de la reunión (por ejemplo, el enlace de la videollamada o la dirección) e inícialo. Entonces todas las personas reciben los datos y una invitación de calendario.

## El círculo ha empezado
circle-started-subject = Tu círculo de Kindred ha empezado
circle-started-intro = Tu círculo de apoyo entre pares de Kindred ha empezado. Aquí tienes lo que necesitas para las sesiones.
circle-first-session = Primera sesión
circle-started-calendar = La invitación de calendario adjunta añade las sesiones del círculo a tu calendario, en tu zona horaria.
circle-started-agreement = Recuerda el acuerdo del grupo: lo que se dice en el círculo se queda en el círculo.

## Antes de cada sesión
circle-reminder-subject = Recordatorio: tu círculo de Kindred se reúne pronto
circle-reminder-intro = Se acerca la sesión { $number } de tu círculo de apoyo entre pares.
circle-reminder-starts = Empieza
circle-reminder-skip = Si no puedes ir, no pasa nada; puedes avisar a tu persona facilitadora.

## Una persona ha faltado a varias sesiones seguidas (circles.missed_sessions_note)
circle-missed-subject = Te echamos de menos en tu círculo de Kindred
circle-missed-intro = Hemos visto que no estuviste en { $count ->
    [one] la última sesión
   *[other] las { $count } últimas sesiones
} de tu círculo. No pasa nada: a veces hay mucho lío, y hay semanas que cuestan más que otras.
circle-missed-welcome = Puedes volver a cualquier sesión, sin tener que dar explicaciones.
circle-missed-tell = Si algo te lo está poniendo difícil, puedes contárselo a { $facilitator }, tu persona facilitadora. Y si el círculo no es para ti, puedes dejarlo cuando quieras desde su página; nadie te preguntará por qué.
circle-missed-help = Si estás pasando por un momento difícil, al final de este correo tienes recursos de apoyo.
circle-missed-facilitator-subject = Una persona de tu círculo de Kindred ha faltado a { $count ->
    [one] una sesión
   *[other] { $count } sesiones seguidas
}
circle-missed-facilitator-intro = { $name } ha faltado a { $count ->
    [one] la última sesión
   *[other] las { $count } últimas sesiones
} de tu círculo.
circle-missed-facilitator-tip = Un mensaje personal, breve y amable, puede ayudar: hazle saber que se notó su ausencia y que puede volver cuando quiera, sin pedirle explicaciones. Si te preocupa, cuéntaselo al equipo de coordinación.

## Una invitación ha caducado
circle-expired-subject = Tu invitación a un círculo de Kindred ha caducado
circle-expired-intro = Tu invitación para unirte a un círculo de apoyo entre pares caducó antes de que recibiéramos tu respuesta, así que la plaza se ofreció a otra persona.
circle-expired-again = No pasa nada. Cuando quieras, puedes volver a pedir unirte a un círculo.

## Un seguimiento de un círculo pide apoyo (la nota nunca va por correo)
circle-support-subject-coordinator = Kindred: un seguimiento de un círculo pide apoyo
circle-support-subject-facilitator = Una persona de tu círculo de Kindred ha pedido apoyo
circle-support-intro-coordinator = { $name } ha pedido apoyo en un seguimiento de su círculo.
circle-support-note = El seguimiento incluye una nota: léela en la aplicación.
circle-support-follow = Ponte en contacto con esa persona lo antes posible; si hay cualquier indicio de peligro inmediato, sigue el protocolo de protección de tu programa.
circle-support-intro-facilitator = { $name } ha pedido apoyo en su seguimiento del círculo. El equipo de coordinación también lo sabe y se pondrá en contacto con esa persona.
circle-support-facilitator-tip = Puedes preguntarle con tacto cómo está antes o después de la próxima sesión. Sus respuestas al seguimiento solo las ven esa persona y el equipo de coordinación.

## Un círculo se ha quedado por debajo del mínimo (nunca quién se fue)
circle-below-subject = Kindred: un círculo tiene menos personas de las necesarias
circle-below-intro-facilitator = Tu círculo se ha quedado con { $count ->
    [one] { $count } persona
   *[other] { $count } personas
}, por debajo del mínimo de { $min }.
circle-below-intro-coordinator = Un círculo se ha quedado con { $count ->
    [one] { $count } persona
   *[other] { $count } personas
}, por debajo del mínimo de { $min }.
circle-below-facilitator = Puedes seguir reuniéndote con las personas que siguen en el grupo. El equipo de coordinación ya lo sabe y se pondrá en contacto contigo para ver cómo continuar.
circle-below-coordinator = Revisa el círculo y decide con la persona facilitadora cómo continuar.

## Un bloqueo dentro de un círculo (la persona facilitadora no sabe quién bloqueó a quién)
circle-block-subject = Kindred: un bloqueo entre dos personas de un círculo
circle-block-facilitator = { $people } están en tu círculo, y una de esas dos personas ha bloqueado a la otra en Kindred.
circle-block-facilitator-tip = Por favor, no le preguntes por ello a ninguna de las dos en el grupo. El equipo de coordinación ya lo sabe y se pondrá en contacto contigo sobre los próximos pasos.
circle-block-coordinator = { $blocker } ha bloqueado a { $blocked }; las dos personas están en el mismo círculo.
circle-block-coordinator-tip = No se las volverá a poner juntas en un círculo. Decide con la persona facilitadora si el círculo puede seguir tal como está.

## Se ha retirado el rol de facilitación a alguien que facilita círculos
circle-revoked-subject = Kindred: se ha retirado el rol de facilitación a alguien que facilita círculos
circle-revoked-intro = Se ha retirado el rol de facilitación a { $name } mientras facilita { $count ->
    [one] { $count } círculo aprobado o activo.
   *[other] { $count } círculos aprobados o activos.
}
circle-revoked-tip = Busca otra persona facilitadora para esos círculos o ciérralos.
circle-revoked-link = Ver sus círculos en el panel de coordinación

## Un círculo ha terminado (nunca por qué)
circle-ended-subject = Tu círculo de Kindred ha terminado
circle-ended-intro = Tu círculo de apoyo entre pares ha terminado. Gracias por formar parte de él: por venir, escuchar y compartir.
circle-ended-again = Si quieres seguir, puedes pedir unirte a otro círculo cuando quieras.

## La invitación de calendario del círculo
ics-circle-summary = Círculo de Kindred
ics-circle-description = Una sesión de tu círculo de apoyo entre pares de Kindred: { $url }
