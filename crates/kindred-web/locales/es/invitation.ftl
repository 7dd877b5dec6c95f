## Aceptar una invitación (una cuenta creada por una importación de la coordinación)

invitation-title = Acepta tu invitación
invitation-intro = La persona que coordina tu programa ha creado una cuenta de Kindred para ti. Introduce tu dirección de correo, el código de invitación del correo y una contraseña que elijas. Iniciarás sesión al momento.
invitation-email-hint = La dirección a la que se envió la invitación.
invitation-field-code = Código de invitación
invitation-code-hint = El código de 6 cifras del correo de invitación.
invitation-submit = Aceptar e iniciar sesión
invitation-expired = ¿El código ha caducado o ya se ha usado?
invitation-new-code-link = Pide un código nuevo
invitation-err-code = El código de invitación no es correcto, ha caducado o ya se ha usado.
invitation-notice-accepted = Te damos la bienvenida a Kindred. Tu contraseña está guardada y has iniciado sesión.

## Etiquetas importadas que esperan tu consentimiento

pending-private = privada
pending-public = pública
pending-sensitive = sensible
pending-private-term = Privada:
pending-private-means = solo se usa para encontrarte un buen emparejamiento. Solo pueden verla tú y las personas coordinadoras del programa; las personas con las que te emparejen nunca la ven.
pending-public-term = Pública:
pending-public-means = si dices que sí, también la ven las personas con las que te emparejen, por ejemplo en tu ficha.
pending-sensitive-term = Sensible:
pending-sensitive-means = trata de cosas como la orientación sexual, la identidad de género, la salud, la religión o el origen étnico. Solo las guardamos con tu consentimiento.
pending-heading = Esperan tu consentimiento
pending-profile-intro = La coordinación añadió estas experiencias por ti. No se usan para emparejar hasta que digas que sí, y se eliminan si dices que no:
pending-profile-link = Responder sobre estas experiencias
pending-waiting = espera tu consentimiento

consent-title = Tus experiencias privadas y sensibles
consent-intro = La coordinación añadió estas experiencias a tu perfil al crear tu cuenta. Son privadas o sensibles, así que primero te preguntamos.
consent-profile-mentee = En tu perfil para recibir mentoría
consent-profile-mentor = En tu perfil como persona mentora
consent-until = Hasta que respondas, no se usan para emparejar y nadie más las ve.
consent-legend = ¿Puede Kindred usar estas experiencias para encontrarte un emparejamiento?
consent-yes = Sí, úsalas para emparejar
consent-no = No, elimínalas de mi perfil
consent-submit = Guardar mi respuesta
consent-later = Decidir más tarde
consent-later-hint = (tu perfil te lo recordará).
invitation-notice-consent-given = Gracias. Estas experiencias ya cuentan cuando buscamos un emparejamiento.
invitation-notice-consent-declined = Hecho. Estas experiencias se han eliminado de tu perfil.

## El aviso de la página de inicio

pending-home-notice = Algunas experiencias que añadió la coordinación esperan tu consentimiento.
pending-home-link = Revisarlas
