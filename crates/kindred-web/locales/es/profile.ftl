# Editor del perfil y páginas para pedir una persona mentora (es). Cada id existe también en en/profile.ftl.

## Página del perfil
profile-title-mentee = Tu perfil para recibir mentoría
profile-title-mentor = Tu perfil como persona mentora
profile-switch-label = Qué perfil
profile-switch-mentee = Perfil para recibir mentoría
profile-switch-mentor = Perfil como persona mentora
profile-intro = Las personas coordinadoras usan tu perfil para encontrar un buen emparejamiento. Todo es opcional salvo una zona horaria, un idioma y una forma de reunirse (y, si eres persona mentora, a cuántas personas puedes acompañar).
profile-ask-link = Pedir una persona mentora
profile-submit = Guardar el perfil
profile-notice-saved = Tu perfil se ha guardado.
profile-notice-profile-first = Antes de pedir una persona mentora, completa tu perfil para recibir mentoría y guárdalo.
profile-none-title = Tu perfil
profile-none-body = Los perfiles son para quienes buscan mentoría y para las personas mentoras. Tu cuenta no tiene ninguno de esos roles, así que no hay perfil que completar.

## Sobre ti
profile-about-heading = Sobre ti
profile-field-bio = Sobre ti
profile-field-bio-hint-mentee = Lo que te gustaría que supiera tu persona mentora. Las personas coordinadoras lo leen para encontrarte un buen emparejamiento.
profile-field-bio-hint-mentor = Las personas emparejadas contigo lo leen en tu ficha.
profile-field-goals = Qué esperas de la mentoría
profile-field-goals-hint = Por ejemplo: sentirme con confianza para salir del armario en el trabajo.
profile-field-capacity = ¿A cuántas personas puedes acompañar a la vez?
profile-field-capacity-hint = Un número del 1 al 20.
profile-field-accepting = Acepto nuevas personas para acompañar
profile-field-accepting-hint = Desmárcalo para pausar los nuevos emparejamientos. Las personas a las que ya acompañas siguen contigo.

## Experiencias (etiquetas)
profile-tags-heading = Tus experiencias
profile-tags-intro = Marca las experiencias que compartes y elige para cada una si es pública o privada. Todas son opcionales.
profile-public-term = Pública:
profile-public-means = la ven las personas con las que te emparejen, por ejemplo en tu ficha y en el motivo del emparejamiento. También la ven las personas coordinadoras.
profile-private-term = Privada:
profile-private-means = solo se usa para encontrarte un buen emparejamiento. Solo pueden verla tú y las personas coordinadoras del programa. Tu persona mentora o la persona a la que acompañas nunca la ve, y nunca se nombra en los correos ni en el motivo del emparejamiento.
profile-sensitive-means = Las experiencias marcadas como «sensible» —como la orientación sexual, la identidad de género, la salud, la religión o el origen étnico— tienen una protección especial: solo las guardamos con tu consentimiento, que te pedimos más abajo. Empiezan como privadas.
profile-category-identity = Quién eres
profile-category-experience = Lo que has vivido
profile-category-support = En qué te gustaría recibir apoyo
profile-category-retired = Ya no se ofrecen (desmárcalas para quitarlas)
profile-sensitive-mark = (sensible)
profile-visibility-legend = Quién puede ver «{ $tag }»
profile-choice-public = Pública: la ve con quien me emparejen
profile-choice-private = Privada: solo para emparejar
profile-consent-heading = Consentimiento para las experiencias sensibles
profile-consent-label = Acepto que Kindred guarde las experiencias sensibles que he marcado y las use para encontrarme un emparejamiento.
profile-consent-label-short = Consentimiento para las experiencias sensibles
profile-consent-hint = Solo hace falta si marcas una experiencia «sensible». Puedes desmarcar esas experiencias, o borrar tu cuenta, cuando quieras.

## Idiomas y zona horaria
profile-languages-heading = Idiomas y zona horaria
profile-languages-legend = Idiomas en los que puedes hablar
profile-languages-hint = Marca todos los idiomas en los que puedes mantener una conversación: al menos uno.
profile-field-languages-other = Otros idiomas
profile-field-languages-other-hint = Códigos de idioma separados por comas, por ejemplo eu, pt-BR, o lsf para la lengua de signos francesa.
profile-lang-ssp = Lengua de signos española (LSE)
profile-lang-bfi = Lengua de signos británica (BSL)
profile-lang-ase = Lengua de signos americana (ASL)
profile-field-timezone = Zona horaria
profile-field-timezone-hint = Empieza a escribir una ciudad y elígela de la lista, por ejemplo Europe/Madrid o America/Mexico_City.

## Disponibilidad
profile-availability-heading = Cuándo puedes reunirte
profile-availability-hint = Cada semana, en tu zona horaria, en intervalos de 15 minutos. Deja vacío un día si no puedes reunirte. Para estar libre hasta medianoche, termina a las 00:00.
profile-availability-more = ¿Necesitas más horarios en un día? Guarda y aparecerá una fila vacía para ese día (hasta 4 al día).
profile-day-mon = Lunes
profile-day-tue = Martes
profile-day-wed = Miércoles
profile-day-thu = Jueves
profile-day-fri = Viernes
profile-day-sat = Sábado
profile-day-sun = Domingo
profile-window-from = { $number ->
    [1] Desde
   *[other] Desde (horario { $number })
}
profile-window-until = { $number ->
    [1] Hasta
   *[other] Hasta (horario { $number })
}
profile-window-label = { $name }, horario { $number }

## Reuniones
profile-meeting-heading = Cómo puedes reunirte
profile-modes-legend = Formas de reunirte
profile-mode-online = En línea (videollamada o chat)
profile-mode-in_person = En persona
profile-mode-phone = Por teléfono
profile-field-region = Zona
profile-field-region-hint = Una ciudad o zona, por ejemplo Madrid. Hace falta si puedes reunirte en persona. Nunca tu dirección.

## Errores de los campos
profile-err-too-many-tags = Elige como máximo { $max }.
profile-err-too-many-languages = Elige como máximo { $max } idiomas.
profile-err-too-many-windows = Indica como máximo { $max } horarios a la semana.
profile-err-unknown-tag = Esta experiencia no está en la lista. Elige otra.
profile-err-duplicate = Está elegida dos veces. Elígela una sola vez.
profile-err-both-visibilities = Elige pública o privada, no las dos.
profile-err-retired = Esta experiencia ya no se ofrece y no se puede añadir.
profile-err-language-required = Elige al menos un idioma.
profile-err-language-code = Escribe códigos de idioma como en, es-MX o lsf.
profile-err-timezone = Elige una zona horaria de la lista, como Europe/Madrid.
profile-err-time = Escribe una hora como 18:00.
profile-err-time-step = Usa intervalos de { $number } minutos, como 18:00 o 18:15.
profile-err-time-start-midnight = Empieza antes de medianoche.
profile-err-time-order = Termina después de la hora de inicio.
profile-err-time-overlap = Se solapa con otro horario del mismo día.
profile-err-mode-required = Elige al menos una forma de reunirte.
profile-err-region-in-person = Escribe una zona para reunirte en persona, o desmarca «En persona».
profile-err-capacity = Escribe un número entero del 1 al 20.
profile-err-consent = Para guardar las experiencias sensibles que has marcado, marca esta casilla, o desmarca esas experiencias.

## Pedir una persona mentora
request-title = Pedir una persona mentora
request-current-title = Tu solicitud de mentoría
request-intro = Cuenta a las personas coordinadoras qué te importa en una persona mentora. Buscan a alguien que encaje, y después esa persona decide si acepta.
request-tags-legend = Experiencias que tu persona mentora debe compartir
request-tags-hint = Como máximo 10. Solo cuenta una persona mentora que comparta la experiencia de forma pública, así que cada una que marques hace menos probable el emparejamiento.
request-field-regions = Zonas que prefieres evitar
request-field-regions-hint = Una por línea, por ejemplo tu ciudad de origen, si prefieres que no te emparejen con alguien de allí.
request-field-note = Una nota para las personas coordinadoras
request-field-note-hint = Cualquier otra cosa que les ayude. Solo la leen las personas coordinadoras.
request-submit = Pedir una persona mentora
request-not-mentee = Pedir una persona mentora es para quienes buscan mentoría. Tu cuenta no tiene ese rol.
request-state-label = Estado
request-state-open = Esperando un emparejamiento
request-state-matched = Emparejada con una persona mentora
request-state-withdrawn = Retirada
request-state-closed = Cerrada
request-asked-label = Pedida el
request-tags-label = Experiencias que tu persona mentora debe compartir
request-regions-label = Zonas que prefieres evitar
request-note-label = Tu nota
request-none = Ninguna
request-open-body = Las personas coordinadoras están buscando a alguien que encaje. Te escribiremos cuando una persona mentora acepte.
request-matched-body = Ya tienes una persona mentora. Mira tus emparejamientos para ponerte en contacto.
request-matches-link = Tus emparejamientos
request-withdraw-hint = Si ya no quieres una persona mentora, puedes retirar tu solicitud. Puedes volver a pedirla cuando quieras.
request-withdraw = Retirar mi solicitud
request-notice-created = Tu solicitud se ha enviado.
request-notice-withdrawn = Tu solicitud se ha retirado. Puedes volver a pedir una persona mentora cuando quieras.
request-notice-cannot-withdraw = No se ha podido retirar tu solicitud: ya se ha preguntado a una persona mentora, o ya tienes emparejamiento. Mira tus emparejamientos.
request-err-too-many-regions = Indica como máximo { $max } zonas.
request-err-region-length = Usa de 1 a 100 caracteres para cada zona.

## Las experiencias predeterminadas (la etiqueta propia de una persona coordinadora se muestra tal cual)
profile-tag-lesbian = Lesbiana
profile-tag-gay = Gay
profile-tag-bisexual = Bisexual
profile-tag-pansexual = Pansexual
profile-tag-asexual = Persona asexual / arromántica
profile-tag-queer = Queer
profile-tag-transgender = Trans
profile-tag-non-binary = Persona no binaria
profile-tag-intersex = Intersexual
profile-tag-questioning = Cuestionando mi orientación o identidad
profile-tag-black = Persona negra
profile-tag-latinx = Persona latina o hispana
profile-tag-asian = Persona asiática
profile-tag-indigenous = Persona indígena
profile-tag-roma = Pueblo gitano / romaní
profile-tag-middle-eastern-north-african = De Oriente Medio / del norte de África
profile-tag-mixed-heritage = Origen mixto
profile-tag-physical-disability = Discapacidad física
profile-tag-neurodivergent = Neurodivergente
profile-tag-autistic = Autista
profile-tag-adhd = TDAH
profile-tag-deaf-hard-of-hearing = Persona sorda / con pérdida auditiva
profile-tag-blind-low-vision = Persona ciega / con baja visión
profile-tag-chronic-illness = Enfermedad crónica
profile-tag-mental-health-condition = Problema de salud mental
profile-tag-muslim = Persona musulmana
profile-tag-jewish = Persona judía
profile-tag-christian = Persona cristiana
profile-tag-minority-faith = Otra fe / fe minoritaria
profile-tag-ex-religious = Dejé una religión
profile-tag-migrant = Migrante
profile-tag-refugee-asylum-seeker = Persona refugiada / solicitante de asilo
profile-tag-first-generation-immigrant = Primera generación de inmigrantes
profile-tag-young-adult = Persona joven (18–25)
profile-tag-older-adult = Persona mayor (55+)
profile-tag-first-generation-student = Primera generación con estudios superiores
profile-tag-working-class = Origen de clase trabajadora
profile-tag-coming-out = Salir del armario
profile-tag-coming-out-at-work = Salir del armario en el trabajo
profile-tag-social-transition = Transición social
profile-tag-medical-transition = Transición médica
profile-tag-legal-transition = Transición legal
profile-tag-homophobia-transphobia = Homofobia, bifobia o transfobia
profile-tag-racism = Racismo
profile-tag-domestic-abuse-survivor = Superviviente de violencia doméstica
profile-tag-hate-crime-survivor = Superviviente de un delito de odio
profile-tag-living-with-hiv = Vivir con el VIH
profile-tag-religious-trauma = Trauma religioso
profile-tag-navigating-asylum = El proceso de asilo
profile-tag-workplace-discrimination = Discriminación laboral
profile-tag-social-exclusion = Exclusión social
profile-tag-self-stigma = Autoestigma / vergüenza interiorizada
profile-tag-family-rejection = Rechazo familiar
profile-tag-bullying = Acoso
profile-tag-isolation-loneliness = Aislamiento / soledad
profile-tag-body-image = Imagen corporal
profile-tag-job-search = Búsqueda de empleo
profile-tag-career-growth = Desarrollo profesional
profile-tag-education = Educación y estudios
profile-tag-housing = Vivienda
profile-tag-healthcare-access = Acceso a la atención sanitaria
profile-tag-mental-health-coping = Estrategias para cuidar la salud mental
profile-tag-legal-rights = Conocer tus derechos
profile-tag-name-gender-marker-change = Cambio de nombre o de la mención de sexo
profile-tag-building-community = Crear comunidad
profile-tag-relationships = Relaciones
profile-tag-finances = Finanzas
profile-tag-confidence = Confianza en ti
